"""The regulations a member record is checked against: one small, dated module per rule set.

Each check returns problems with a stable code; `members.validation.member_problems` runs them.
"""
