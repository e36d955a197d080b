"""The permission walk: every URL pattern and API route, requested as every persona.

oracle.py        who may see what in the `world`, written out by hand from the rules
kinds.py         route kinds: what each persona must get from a route of that kind
declarations.py  which kind each URL name / API route is: add a new view here
routes.py        enumerating the project's URL patterns and API operations
"""
