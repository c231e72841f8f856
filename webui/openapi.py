"""The OpenAPI description of the JSON API (tests check real responses against it)."""

from __future__ import annotations

_HIT = {
    "type": "object",
    "required": ["path", "url", "title", "score", "snippet", "persons", "years"],
    "properties": {
        "path": {"type": "string"},
        "url": {"type": "string"},
        "title": {"type": "string"},
        "score": {"type": "number"},
        "snippet": {"type": "string", "description": "HTML: escaped text, matches in <mark>"},
        "persons": {"type": "array", "items": {"type": "string"}},
        "years": {"type": "array", "items": {"type": "integer"},
                  "description": "years the page speaks of; BCE years are negative"},
        "matched_person": {"type": ["string", "null"]},
    },
}
_FACET = {"type": "array", "items": {"type": "object", "required": ["value", "count"],
                                      "properties": {"value": {"type": "string"},
                                                     "count": {"type": "integer"}}}}
_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


def _param(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_spec() -> dict:
    errors = {"400": _json(_ERROR, "a malformed parameter"),
              "503": _json(_ERROR, "the index is unavailable")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Clio search API", "version": "1",
                 "description": "Read-only search over a collection of history pages."},
        "paths": {
            "/api/search": {"get": {
                "summary": "Ranked search with snippets and facets",
                "parameters": [
                    _param("q", {"type": "string", "maxLength": 500}, "the query"),
                    _param("page", {"type": "integer", "minimum": 1, "maximum": 1000}, "page"),
                    _param("per_page", {"type": "integer", "minimum": 1, "maximum": 50},
                           "results per page"),
                    _param("person", {"type": "string", "maxLength": 200}, "person filter"),
                    _param("from", {"type": "integer", "minimum": -10000, "maximum": 10000},
                           "first year (BCE negative)"),
                    _param("to", {"type": "integer", "minimum": -10000, "maximum": 10000},
                           "last year (BCE negative)"),
                    _param("section", {"type": "string", "maxLength": 200}, "top folder"),
                    _param("century", {"type": "integer", "minimum": -100, "maximum": 100},
                           "century (negative: BCE)"),
                    _param("decade", {"type": "integer", "minimum": -10000, "maximum": 10000},
                           "decade, e.g. 1860"),
                    _param("sort", {"type": "string", "enum": ["relevance", "period", "-period"]},
                           "order"),
                ],
                "responses": {"200": _json({
                    "type": "object",
                    "required": ["query", "total", "took_ms", "page", "per_page", "results",
                                 "facets", "did_you_mean"],
                    "properties": {
                        "query": {"type": "string"},
                        "total": {"type": "integer", "minimum": 0},
                        "took_ms": {"type": "number"},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "results": {"type": "array", "items": _HIT},
                        "facets": {"type": "object", "additionalProperties": _FACET},
                        "timeline": _FACET,
                        "did_you_mean": {"type": ["string", "null"]},
                        "messages": {"type": "array", "items": {"type": "string"}},
                        "interpretation": {"type": "array", "items": {"type": "object"}},
                    },
                }, "results"), **errors},
            }},
            "/api/suggest": {"get": {
                "summary": "Titles and persons for autocomplete",
                "parameters": [_param("q", {"type": "string", "maxLength": 100}, "prefix")],
                "responses": {"200": _json({
                    "type": "object", "required": ["query", "suggestions"],
                    "properties": {"query": {"type": "string"}, "suggestions": {
                        "type": "array", "items": {
                            "type": "object", "required": ["kind", "label", "url", "pages"],
                            "properties": {"kind": {"type": "string",
                                                    "enum": ["title", "person"]},
                                           "label": {"type": "string"},
                                           "url": {"type": "string"},
                                           "pages": {"type": "integer"}}}}},
                }, "suggestions"), **errors},
            }},
            "/api/pages/{id}": {"get": {
                "summary": "One page: its cleaned text, persons, years, similar pages",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string"},
                                "description": "the page's path in the corpus"}],
                "responses": {
                    "200": _json({"type": "object",
                                  "required": ["id", "path", "url", "title", "text",
                                               "persons", "years"],
                                  "properties": {"id": {"type": "string"},
                                                 "path": {"type": "string"},
                                                 "url": {"type": "string"},
                                                 "title": {"type": "string"},
                                                 "text": {"type": "string"},
                                                 "headings": {"type": "array",
                                                              "items": {"type": "string"}},
                                                 "persons": {"type": "array",
                                                             "items": {"type": "string"}},
                                                 "years": {"type": "array",
                                                           "items": {"type": "integer"}},
                                                 "date": {"type": ["string", "null"]},
                                                 "section": {"type": "string"},
                                                 "more_like_this": {"type": "array",
                                                                    "items": _HIT}}},
                                 "the page"),
                    "404": _json(_ERROR, "no such page"),
                },
            }},
            "/api/overview": {"get": {
                "summary": "What the index holds: the persons most pages name, pages by "
                           "century, decade and section",
                "responses": {"200": _json({
                    "type": "object",
                    "required": ["pages", "persons", "centuries", "timeline", "sections"],
                    "properties": {
                        "pages": {"type": "integer", "minimum": 0},
                        "persons": {"type": "array", "items": {
                            "type": "object", "required": ["value", "count", "url"],
                            "properties": {"value": {"type": "string"},
                                           "count": {"type": "integer"},
                                           "url": {"type": "string"}}}},
                        "centuries": _FACET, "timeline": _FACET, "sections": _FACET,
                    },
                }, "the overview"), "503": errors["503"]},
            }},
            "/api/persons/{name}": {"get": {
                "summary": "One person: the spellings pages use, the pages, a decade timeline",
                "parameters": [{"name": "name", "in": "path", "required": True,
                                "schema": {"type": "string", "maxLength": 200},
                                "description": "the name in any spelling the index knows"}],
                "responses": {
                    "200": _json({"type": "object",
                                  "required": ["name", "url", "variants", "total", "pages",
                                               "timeline"],
                                  "properties": {"name": {"type": "string"},
                                                 "url": {"type": "string"},
                                                 "variants": {"type": "array",
                                                              "items": {"type": "string"}},
                                                 "total": {"type": "integer", "minimum": 1},
                                                 "pages": {"type": "array", "items": _HIT},
                                                 "timeline": _FACET}},
                                 "the person"),
                    "400": _json(_ERROR, "a name over 200 characters"),
                    "404": _json(_ERROR, "no page names that person"),
                },
            }},
            "/healthz": {"get": {
                "summary": "Whether the index can be searched",
                "responses": {
                    "200": _json({"type": "object", "required": ["status"],
                                  "properties": {"status": {"const": "ok"},
                                                 "pages": {"type": "integer"}}}, "healthy"),
                    "503": _json({"type": "object", "required": ["status"],
                                  "properties": {"status": {"const": "degraded"}}},
                                 "degraded"),
                },
            }},
        },
    }
