"""Schemathesis hooks for scripts/fuzz-api.sh (loaded through SCHEMATHESIS_HOOKS).

The fuzzer runs as the only superuser. `PATCH /api/v1/users/{user_id}` on that user's own id
with `is_active: false` or `is_superuser: false` is a legitimate, documented request, and the
stateful phase finds it quickly (readUserMe's `id` feeds updateUser's `user_id`); after it every
later request answers 400 "Inactive user" or 403, so the rest of the run would test nothing.
So every PATCH of that id is sent to a fresh random id instead: the body and everything else
stay as generated, and the answer (404 or 422) is still checked against the spec. Other users,
which the fuzzer creates, get the whole treatment.
"""

import os
import uuid

import schemathesis

SUPERUSER_ID = os.environ["FUZZ_API_SUPERUSER_ID"].lower()


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.label != "PATCH /api/v1/users/{user_id}":
        return
    user_id = (case.path_parameters or {}).get("user_id")
    if isinstance(user_id, str) and user_id.lower() == SUPERUSER_ID:
        case.path_parameters["user_id"] = str(uuid.uuid4())
