"""Party documents and office files: the HD 36 layout, Vietnamese formats, XLSX, DOCX and PDF.

A layer just above `core`: it imports only `core` and Django, and every app that writes a document
or a spreadsheet goes through it.
"""
