"""Data quality of member records: named rules, a run over a subtree, stored results.

- `catalogue`: every rule, named and explained in Vietnamese (what the regulation says, how to fix).
- `checks`: how the rules are evaluated over many records: set-based queries, and one streamed
  pass through `members.validation.member_problems` for the rules the record forms already use.
- `services`: a run (`quality_check`): findings written as they come, figures per node rolled up
  the tree, then published in one transaction that replaces the previous results of the subtree.
- `selectors`: what the dashboard and the fix list read.
"""
