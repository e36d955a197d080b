"""Where member files (photos) are kept: under the var directory, outside the web root.

The location is read from settings each time, so tests can point it at a temporary directory.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class MemberFileStorage(FileSystemStorage):
    @property
    def base_location(self) -> str:
        return str(settings.MEMBER_FILES_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        # Never a public URL: photos are served by the scoped `member_photo` view only.
        raise NotImplementedError("Member files have no public URL.")


def member_file_storage() -> MemberFileStorage:
    return MemberFileStorage()
