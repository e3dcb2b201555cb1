"""The one exception a user can cause; its message is Danish and shown as is."""


class KasseError(Exception):
    """A mistake by the user (bad date, unknown ref, missing file) with a Danish message.

    The CLI prints it as one line and exits non-zero; the app shows it as a
    notification. Anything else that escapes is a bug.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
