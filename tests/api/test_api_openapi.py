from django.test import Client


def test_schema_lists_every_route(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {(path, method) for path, ops in schema["paths"].items() for method in ops} == {
        ("/api/v1/orgs", "get"),
        ("/api/v1/orgs/{org_id}", "get"),
        ("/api/v1/orgs/{org_id}/children", "get"),
        ("/api/v1/members", "get"),
        ("/api/v1/members/{member_id}", "get"),
        ("/api/v1/members/{member_id}", "patch"),
        ("/api/v1/imports", "post"),
        ("/api/v1/imports/{task_id}", "get"),
        ("/api/v1/imports/{task_id}/commit", "post"),
        ("/api/v1/reports/summary", "get"),
        ("/api/v1/reports/changes", "get"),
        ("/api/v1/feed", "get"),
        ("/api/v1/notices/{post_id}/ack", "post"),
        ("/api/v1/documents", "get"),
        ("/api/v1/documents/{document_id}", "get"),
        ("/api/v1/procedures/cases", "get"),
        ("/api/v1/procedures/cases/{case_id}", "get"),
        ("/api/v1/procedures/targets", "get"),
        ("/api/v1/procedures/recognitions-due", "get"),
        ("/api/v1/procedures/badges", "get"),
        ("/api/v1/procedures/exits", "get"),
        ("/api/v1/procedures/exemptions", "get"),
        ("/api/v1/procedures/cards", "get"),
        ("/api/v1/procedures/cards/lookup", "get"),
        ("/api/v1/procedures/cards/members/{member_id}", "get"),
    }
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_no_docs_page_that_would_load_a_cdn(db):
    assert Client().get("/api/v1/docs").status_code == 404
