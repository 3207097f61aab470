"""Uploaded files (offering documents, campaign attachments): what is accepted, and how they are
served — only by the portal, to signed-in users, never from a public media URL."""

import os

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

# Files the portal accepts, with the first bytes each must start with (a text type: no NUL byte).
ALLOWED_FILE_TYPES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".pptx": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (), ".html": (), ".md": (), ".csv": (),
}
# Executables are refused whatever their name says.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa", b"#!")


def check_upload(upload, *, max_bytes: int, field: str | None = None) -> str:
    """Refuse a file before anything is stored — by size, by name and by its first bytes — and
    return its extension. Errors name `field` when given."""

    def refuse(message):
        return ValidationError({field: message} if field else message)

    if upload.size > max_bytes:
        raise refuse(f"The file is larger than the limit of {max_bytes // (1024 * 1024)} MB.")
    extension = os.path.splitext(upload.name)[1].lower()
    if extension not in ALLOWED_FILE_TYPES:
        allowed = ", ".join(sorted(ALLOWED_FILE_TYPES))
        raise refuse(f"“{extension or upload.name}” files are not accepted; allowed: {allowed}.")
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise refuse("This is an executable program, not a document.")
    signatures = ALLOWED_FILE_TYPES[extension]
    if signatures and not head.startswith(signatures) or not signatures and b"\x00" in head:
        raise refuse(f"The file's content is not a {extension} file.")
    return extension


def protected_file_response(stored_file, filename: str) -> FileResponse:
    """The bytes of a stored file as a download; 404 with a reason when the file store lost it."""
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as error:
        raise Http404("The file is missing from the file store; restore it from the backup.") from error
    return FileResponse(handle, as_attachment=True, filename=filename)
