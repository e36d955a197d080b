"""Kept only for the import pages until they move to members/imports/: use web.shortcuts."""

from dangvien.web.shortcuts import login_required

__all__ = ["login_required"]
