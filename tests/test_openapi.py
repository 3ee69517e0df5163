"""The API keeps to its OpenAPI description: schemathesis sends generated requests, valid and not, and
checks every answer (no server errors; documented status codes, headers and bodies; 405 with Allow)."""

import schemathesis
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES = 25  # per operation and mode: enough to find odd inputs, quick enough for every CI run
# These refuse some input JSON Schema cannot describe (an unknown region id, nothing chosen, a query of
# only spaces or control characters) with their documented 400, so "valid input is accepted" is not asked.
CHECKED_BY_CONTENT = {"/api/search", "/api/locate", "/muscles/{slug}.svg"}
# Answers as sent, uncompressed: the WSGI transport does not decode (compression: tests/test_speed.py).
PLAIN = {"Accept-Encoding": "identity"}
# Invalid input is refused with these; 414 is how a URL grown past MAX_URL_LENGTH by a long value is refused.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": [400, 404, 405, 414, 422]}}}
)


def keeps_to_its_description(operation, mode: GenerationMode, excluded: list) -> None:
    """Send EXAMPLES generated requests of ``mode`` to ``operation`` and check each answer."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,  # the same requests every run: CI fails only when the code changes
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        case.call_and_validate(headers=PLAIN, excluded_checks=excluded)

    check()


def test_the_api_keeps_to_its_description(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    for operation in operations:
        excluded = [positive_data_acceptance] if operation.path in CHECKED_BY_CONTENT else []
        # Only query parameters can be made invalid (a path is any string; wrong methods are asked by
        # tests/test_security.py::test_api_405_is_json_with_allow).
        negatable = any(p.location == ParameterLocation.QUERY for p in operation.iter_parameters())
        for mode in GenerationMode if negatable else [GenerationMode.POSITIVE]:
            keeps_to_its_description(operation, mode, excluded)
