"""The footer every screen shows: Textual's compact footer, cut between keys, never through one.

At 80 columns a tab with many keys has more than fits before the palette's
key at the right end; Textual then cuts a key in the middle ("d Fr").
Keys that do not fit whole are left out (the help and the palette list them all).
"""

from __future__ import annotations

from textual.widgets import Footer


class KasseFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)  # every key again, then as many as fit

    def fit_keys(self) -> None:
        palette = self.query(".-command-palette")
        room = self.size.width - (palette.first().outer_size.width if palette else 0)
        used, fits = 0, True
        for key in self.query("FooterKey").exclude(".-command-palette"):
            used += key.styles.margin.left + key.outer_size.width
            fits = fits and used <= room
            used += key.styles.margin.right
            key.display = fits
