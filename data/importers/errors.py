"""Why a file was refused. The message is Vietnamese, for the office clerk."""


class ImportFailure(Exception):
    """A file nhacviec will not import; nothing has been written when this is raised."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
