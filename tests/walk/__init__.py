"""The permission walk: every URL pattern and API route, requested as every persona.

oracle.py        who may see what in the `world`, written out by hand from the rules:
                 ACTIONS[(model, action)] → persona → the objects it reaches
kinds.py         route kinds: what each persona must get from a route of that kind, read from
                 the oracle by the route's action; the access levels that are not the policy's
declarations.py  which kind and action each URL name / API route has: add a new view here
routes.py        enumerating the project's URL patterns and API operations
"""
