"""The steps of scripts/walkthrough.sh that are text or HTTP: the user's spec edit, the count of
hand-written lines, and the checks over HTTP. Standard library only.

    walkthrough.py edit-spec REPO FRAGMENTS      add `priority` to items and the `tags` resource
    walkthrough.py wire-app REPO                 register TagsService in Sources/App/App.swift
    walkthrough.py count SCAFFOLD FINAL APP_BEFORE APP_AFTER LIMIT
    walkthrough.py seed BASE EMAIL PASSWORD      an item on the server before the change; prints its id
    walkthrough.py check BASE EMAIL PASSWORD ITEM_ID
"""

import difflib
import json
import pathlib
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid


def fail(message):
    sys.exit(f"walkthrough: error: {message}")


# ------------------------------------------------------------------------------ spec edit

# What a user adds to each item schema: a column with a default, its public and input forms.
PRIORITY = {
    "ItemRow": "        priority:\n          type: integer\n          minimum: 0\n          maximum: 5\n"
    "          default: 0\n          x-db-default: '0'\n",
    "ItemPublic": "        priority:\n          type: integer\n          minimum: 0\n          maximum: 5\n          default: 0\n",
    "ItemCreate": "        priority:\n          type: integer\n          minimum: 0\n          maximum: 5\n          default: 0\n",
    "ItemUpdate": "        priority:\n          type: [integer, 'null']\n          minimum: 0\n          maximum: 5\n",
}


def schema_block(lines, name):
    """The line range of component schema `name` (four spaces in)."""
    start = lines.index(f"    {name}:\n")
    end = start + 1
    while end < len(lines) and (lines[end].startswith("      ") or lines[end].strip() == ""):
        end += 1
    return start, end


def edit_spec(repo, fragments):
    path = pathlib.Path(repo) / "spec/openapi.yaml"
    lines = path.read_text().splitlines(keepends=True)
    for name, text in PRIORITY.items():
        start, end = schema_block(lines, name)
        properties = next(i for i in range(start, end) if lines[i] == "      properties:\n")
        lines[properties + 1 : properties + 1] = [text]
        if name == "ItemRow":
            required = next(i for i in range(start, end) if lines[i].startswith("      required: ["))
            lines[required] = lines[required].replace("]", ", priority]")
    folder = pathlib.Path(fragments)
    # The tags paths before the items paths; responses and schemas at the top of their sections.
    items = lines.index("  /api/v1/items/:\n")
    lines[items:items] = [(folder / "tags-paths.yaml").read_text()]
    responses = lines.index("  responses:\n")
    lines[responses + 1 : responses + 1] = [(folder / "tags-responses.yaml").read_text()]
    schemas = lines.index("  schemas:\n")
    lines[schemas + 1 : schemas + 1] = [(folder / "tags-schemas.yaml").read_text()]
    path.write_text("".join(lines))


def wire_app(repo):
    """The one line the compiler asks for: the new group's service in `registerAPIRoutes`."""
    path = pathlib.Path(repo) / "Sources/App/App.swift"
    text = path.read_text()
    anchor = "            items: ItemsService(dependencies),\n"
    if anchor not in text:
        fail(f"{path}: no line {anchor.strip()!r} to register the tags service before")
    path.write_text(text.replace(anchor, "            tags: TagsService(dependencies),\n" + anchor, 1))


# ------------------------------------------------------------------------------- counting


def code_lines(before, after):
    """Lines of `after` that are not in `before`, blank lines and comments left out."""
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    added = [line[2:] for line in diff if line.startswith("+ ")]
    return [line for line in added if line.strip() and not line.strip().startswith("//")]


def count(scaffold, final, app_before, app_after, limit):
    service = code_lines(pathlib.Path(scaffold).read_text(), pathlib.Path(final).read_text())
    wiring = code_lines(pathlib.Path(app_before).read_text(), pathlib.Path(app_after).read_text())
    total = len(service) + len(wiring)
    print(f"walkthrough: hand-written lines for the tags resource: {total} (service {len(service)}, wiring {len(wiring)}; limit {limit})")
    print("walkthrough: hand-written lines for the priority field: 0 (spec only)")
    if total > int(limit):
        fail(f"{total} hand-written lines, more than {limit}")


# ----------------------------------------------------------------------------------- HTTP


def call(base, method, path, token=None, body=None, form=None):
    data = None
    request = urllib.request.Request(base + path, method=method)
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    elif body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, data=data, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def expect(condition, message):
    if not condition:
        fail(message)


def login(base, email, password):
    status, body = call(base, "POST", "/api/v1/login/access-token", form={"username": email, "password": password})
    expect(status == 200, f"login as {email}: {status} {body}")
    return body["access_token"]


def seed(base, email, password):
    token = login(base, email, password)
    status, body = call(base, "POST", "/api/v1/items/", token, {"title": "before the change"})
    expect(status == 200, f"creating an item before the change: {status} {body}")
    print(body["id"])


def check(base, email, password, item_id):
    admin = login(base, email, password)
    # The new field: the existing row got the column's default, new rows keep what they are given.
    status, item = call(base, "GET", f"/api/v1/items/{item_id}", admin)
    expect(status == 200 and item.get("priority") == 0, f"the item from before the change: {status} {item}")
    status, item = call(base, "POST", "/api/v1/items/", admin, {"title": "urgent", "priority": 4})
    expect(status == 200 and item["priority"] == 4, f"an item with a priority: {status} {item}")
    status, item = call(base, "PUT", f"/api/v1/items/{item['id']}", admin, {"priority": 2})
    expect(status == 200 and item["priority"] == 2 and item["title"] == "urgent", f"changing the priority: {status} {item}")
    status, _ = call(base, "POST", "/api/v1/items/", admin, {"title": "too urgent", "priority": 9})
    expect(status == 422, f"a priority above the maximum: {status}")
    status, page = call(base, "GET", "/api/v1/items/", admin)
    expect(status == 200 and {row["priority"] for row in page["data"]} == {0, 2}, f"the item list: {status} {page}")

    # The new resource: owner-scoped CRUD, 409 on a name the owner already has.
    status, tag = call(base, "POST", "/api/v1/tags/", admin, {"name": "home", "color": "#00ff00"})
    expect(status == 200 and tag["name"] == "home" and tag["color"] == "#00ff00", f"creating a tag: {status} {tag}")
    status, body = call(base, "POST", "/api/v1/tags/", admin, {"name": "home"})
    expect(status == 409 and body == {"detail": "A tag with this name already exists"}, f"a duplicate tag: {status} {body}")
    status, other = call(base, "POST", "/api/v1/tags/", admin, {"name": "work"})
    expect(status == 200, f"a second tag: {status} {other}")
    status, body = call(base, "PUT", f"/api/v1/tags/{other['id']}", admin, {"name": "home"})
    expect(status == 409, f"renaming onto a taken name: {status} {body}")
    status, body = call(base, "PUT", f"/api/v1/tags/{other['id']}", admin, {"color": None})
    expect(status == 200 and body["name"] == "work", f"an update that changes nothing: {status} {body}")
    status, body = call(base, "PUT", f"/api/v1/tags/{tag['id']}", admin, {"name": "house"})
    expect(status == 200 and body["name"] == "house" and body["color"] == "#00ff00", f"renaming: {status} {body}")
    status, page = call(base, "GET", "/api/v1/tags/?limit=1", admin)
    expect(status == 200 and page["count"] == 2 and [row["name"] for row in page["data"]] == ["work"], f"the list: {page}")
    status, body = call(base, "POST", "/api/v1/tags/", admin, {"name": "bad\u0000name"})
    expect(status == 422 and body["detail"][0]["loc"] == ["body", "name"], f"a NUL in a name: {status} {body}")
    status, body = call(base, "POST", "/api/v1/tags/", admin, {"name": "x", "color": "green"})
    expect(status == 422, f"a color that is not #rrggbb: {status} {body}")

    # Another user sees none of them and can use the same names.
    email2 = f"walker-{uuid.uuid4().hex[:8]}@example.com"
    status, body = call(base, "POST", "/api/v1/users/signup", body={"email": email2, "password": "walkthrough-password"})
    expect(status == 200, f"signing up a second user: {status} {body}")
    walker = login(base, email2, "walkthrough-password")
    status, body = call(base, "GET", f"/api/v1/tags/{tag['id']}", walker)
    expect(status == 404 and body == {"detail": "Tag not found"}, f"another user's tag: {status} {body}")
    status, body = call(base, "DELETE", f"/api/v1/tags/{tag['id']}", walker)
    expect(status == 404, f"deleting another user's tag: {status} {body}")
    status, body = call(base, "POST", "/api/v1/tags/", walker, {"name": "home"})
    expect(status == 200, f"the same name for another owner: {status} {body}")
    status, page = call(base, "GET", "/api/v1/tags/", walker)
    expect(page["count"] == 1, f"the second user's list: {page}")

    status, body = call(base, "DELETE", f"/api/v1/tags/{tag['id']}", admin)
    expect(status == 200 and body == {"message": "Tag deleted successfully"}, f"deleting: {status} {body}")
    status, _ = call(base, "GET", f"/api/v1/tags/{tag['id']}", admin)
    expect(status == 404, f"a deleted tag: {status}")
    status, _ = call(base, "GET", "/api/v1/tags/", None)
    expect(status == 401, f"the list without a token: {status}")
    print("walkthrough: priority and tags answer over HTTP as the spec says")


def main(argv):
    commands = {
        "edit-spec": (edit_spec, 2),
        "wire-app": (wire_app, 1),
        "count": (count, 5),
        "seed": (seed, 3),
        "check": (check, 4),
    }
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    function, _ = commands[argv[1]]
    function(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
