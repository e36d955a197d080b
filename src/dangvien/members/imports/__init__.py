"""Importing member records from XLSX and CSV: a validation pass, then an all-or-nothing commit.

- read.py: the rows of the file; columns.py: the headers as users write them and how each cell
  becomes a member's value; plan.py: the validation (parse, check, match) and the plan it writes;
  report.py: the XLSX report of the problems; commit.py: the plan written in one transaction;
  tasks.py: the two background tasks; views.py and api.py: the pages and the API.

Upsert: a row whose CCCD or party card number is already a member's updates that member (only the
columns present and non-empty in the file; never its cell or status, which have their own
procedures); otherwise it creates a member. Running the same file twice changes nothing the second
time: every row is "unchanged".
"""
