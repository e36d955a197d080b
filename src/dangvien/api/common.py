"""Moved to dangvien.web.api; kept only for the import API until it moves to members/imports/."""

from dangvien.web.api import ERRORS, ErrorOut, acting_user, not_found

__all__ = ["ERRORS", "ErrorOut", "acting_user", "not_found"]
