"""`make api-check` refuses a generated client that types a body as `unknown` or `any`, and
only that: comments, enum values and the "any other header" index are not missing shapes."""

from __future__ import annotations

from scripts.api_check import loose_types

CLIENT = """\
export interface components {
    schemas: {
        /** @description Any of them; unknown fields are refused. */
        Worker: {
            household_poverty: "poor" | "unknown";
            changes: {
                [key: string]: unknown;
            };
            extra: any; // an open value
            unknown: components["schemas"]["Label"];
        };
    };
    responses: {
        200: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": unknown;
            };
        };
    };
    /*
     * unknown in a comment block
     */
}
"""


def test_only_shapeless_types_are_reported() -> None:
    assert loose_types(CLIENT) == [
        "7: [key: string]: unknown;",
        "9: extra: any; // an open value",
        '19: "application/json": unknown;',
    ]


def test_a_client_with_every_shape_passes() -> None:
    shaped = CLIENT.replace("[key: string]: unknown;", "[key: string]: [string, string];")
    shaped = shaped.replace("extra: any;", "extra: number;")
    shaped = shaped.replace('"application/json": unknown;', '"application/json": string;')
    assert loose_types(shaped) == []
