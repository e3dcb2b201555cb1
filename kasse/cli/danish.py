"""Danish for what Typer itself prints: the help page's frame, its usage errors and their one-line form.

Typer (0.26+) vendors click without click's gettext hooks, so its words
cannot be translated by a catalogue. Instead the help page is written by a
formatter that speaks Danish (reached through Typer's documented `cls=`
hook: a command class names its context class, the context its formatter),
and the CLI's error boundary catches Typer's usage errors itself and turns
their English message into one Danish line here. A message this module does
not know still gives a Danish line, without the English details.

Imported with the CLI on every start-up: standard library and Typer only,
and its patterns are compiled when first used (on a help page or an error).
"""

from __future__ import annotations

import re

from typer import echo
from typer.core import TyperCommand, TyperGroup

OPTIONS_METAVAR = "[TILVALG]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENTER]..."
ABORTED = "Afbrudt - intet er ændret."

_HEADINGS = {"Arguments": "Argumenter", "Options": "Tilvalg", "Commands": "Kommandoer"}
_HELP_OPTION = {"Show this message and exit.": "Vis denne hjælp og afslut."}
# What Typer appends to an option's help: "[default: 40; 1<=x<=20000]", "[required]", "[env var: X]".
_EXTRAS = r"(?P<help>.*?)(?P<gap>\s*)\[(?P<items>[^\[\]]*)\]"
_EXTRA_WORDS = {"default: ": "standard: ", "env var: ": "miljøvariabel: ", "required": "påkrævet"}

_Context = TyperCommand.context_class  # click's Context and HelpFormatter, as this Typer version has them
_HelpFormatter = _Context.formatter_class


class DanishHelpFormatter(_HelpFormatter):
    """click's help formatter with Danish headings, usage prefix and option notes."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Brug: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _help_text(text)) for term, text in rows], col_max, col_spacing)


def _help_text(text: str) -> str:
    text = _HELP_OPTION.get(text, text)
    extras = re.fullmatch(_EXTRAS, text, re.DOTALL)
    if extras is None:
        return text
    items = [_extra_item(item) for item in extras["items"].split("; ")]
    return f"{extras['help']}{extras['gap']}[{'; '.join(items)}]"


def _extra_item(item: str) -> str:
    for english, danish in _EXTRA_WORDS.items():
        if item.startswith(english):
            return danish + item[len(english) :]
    return item


class DanishContext(_Context):
    formatter_class = DanishHelpFormatter


class DanishGroup(TyperGroup):
    """kasse itself: its help page in Danish."""

    context_class = DanishContext

    def parse_args(self, ctx, args):
        # click calls a bare group (`kasse print`) a usage error; its help page is the answer, exit 0.
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return super().parse_args(ctx, args)


class DanishCommand(TyperCommand):
    """A kasse command: its help page in Danish."""

    context_class = DanishContext


_SUGGESTION = r"\s*(?:\(Possible options: (?P<options>.+)\)|Did you mean (?P<option>.+)\?)$"
_RANGE = r"x(?P<op>[<>]=?)(?P<bound>\S+)|(?P<low>\S+?)(?P<low_op><=?)x(?P<high_op><=?)(?P<high>\S+)"
_BOUND_WORDS = {">=": "mindst", ">": "over", "<=": "højst", "<": "under"}
_UNKNOWN = "Kommandolinjen kan ikke forstås"


def _value_reason(reason: str) -> str:
    """Why a value was refused, from click's English reason."""
    if re.fullmatch(r".* is not a valid (integer|int range)\.", reason, re.DOTALL):
        return "skal være et helt tal"
    if re.fullmatch(r".* is not a valid (float|float range)\.", reason, re.DOTALL):
        return "skal være et tal"
    bounds = re.fullmatch(r".* is not in the range (?P<range>\S+)\.", reason, re.DOTALL)
    limits = re.fullmatch(_RANGE, bounds["range"]) if bounds else None
    if limits is None:
        return "værdien kan ikke bruges"
    if limits["op"]:
        return f"skal være {_BOUND_WORDS[limits['op']]} {limits['bound']}"
    low = "fra" if limits["low_op"] == "<=" else "over"
    high = "til og med" if limits["high_op"] == "<=" else "og under"
    return f"skal være {low} {limits['low']} {high} {limits['high']}"


def _extra_arguments(_match: re.Match[str]) -> str:
    # The extra words are not repeated: they are often the rest of a name (personal data).
    return "Flere argumenter end kommandoen tager (står et navn med mellemrum i anførselstegn?)"


def _invalid_value(match: re.Match[str]) -> str:
    return f"Ugyldig værdi for {match['name']}: {_value_reason(match['reason'])}"


# click's English message -> the Danish line (a template over the match's groups, or a function of the match).
_MESSAGES = (
    (r"No such option: (?P<option>\S+)", "Ukendt tilvalg: {option}"),
    (r"No such command '.*'\.", "Ukendt kommando"),  # the word typed may be a name: not repeated
    (r"Missing command\.", "Kommandoen mangler"),
    (r"Missing argument (?P<name>.+)\.", "Argumentet {name} mangler"),
    (r"Missing option (?P<name>.+)\.", "Tilvalget {name} mangler"),
    (r"Missing parameter:? (?P<name>.+?)\.?", "{name} mangler"),
    (r"Option (?P<option>'.+') requires an argument\.", "Tilvalget {option} skal have en værdi"),
    (r"Option (?P<option>'.+') requires (?P<count>\d+) arguments\.", "Tilvalget {option} skal have {count} værdier"),
    (r"Option (?P<option>'.+') does not take a value\.", "Tilvalget {option} tager ingen værdi"),
    (r"Got unexpected extra argument(?:\(s\)|s)? \(.*\)", _extra_arguments),
    (r"Invalid value for (?P<name>.+?): (?P<reason>.*)", _invalid_value),
    (r"Invalid value: (?P<reason>.*)", lambda match: f"Ugyldig værdi: {_value_reason(match['reason'])}"),
)


def danish_message(english: str) -> str:
    """click's message as a Danish line; an unknown one as a general Danish line without its English."""
    suggestion = re.search(_SUGGESTION, english)
    if suggestion is not None:
        english = english[: suggestion.start()]
    for pattern, danish in _MESSAGES:
        match = re.fullmatch(pattern, english, re.DOTALL)
        if match is not None:
            line = danish(match) if callable(danish) else danish.format(**match.groupdict())
            break
    else:
        line = _UNKNOWN
    if suggestion is not None:
        line += f" (mente du {suggestion['options'] or suggestion['option']}?)"
    return line


def usage_error_line(error) -> str:
    """One Danish line for a usage error Typer raised (an unknown option, a missing argument, a bad value),
    with the help command that explains the right use."""
    line = danish_message(error.format_message())
    context = getattr(error, "ctx", None)
    if context is None or not context.help_option_names:
        return line
    return f"{line} - se '{context.command_path} {context.help_option_names[0]}'"
