"""What every JSON route shares: the error body's model, text fields described once, and errors pointed at
the part of the request that was wrong.

Request bodies are deliberately loose models (types only): the values are cleaned by the same
``form_values`` functions and services the HTML forms use, so a page and the API accept exactly the same
things and say the same words when they do not. The limits are still written into the OpenAPI schema
(``maxLength``, ``pattern``) so a client knows them before it sends anything.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Annotated, Any, Iterator, Mapping

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from councilguard.web.errors import WebError


RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The row's number, as the lists give it",
                            examples=[1])]  # a larger number is not a row, and the database cannot even look it up


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable word for the kind of problem, for programs to test",
                      examples=["invalid-form"])
    message: str = Field(description="A plain sentence saying what was wrong, fit to show a person",
                         examples=["A note of what was done is needed"])
    where: str = Field(description="Which part of the request was wrong: body.<field>, path.<name>, "
                                   "query.<name>, header X-CSRF-Token, session, or the path asked for",
                       examples=["body.note"])


class ErrorOut(BaseModel):
    """The one shape of every error the API gives."""

    error: ErrorDetail


class Body(BaseModel):
    """A request body: a misspelt field is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


def text(description: str, *, limit: int, example: str, required: bool = True) -> Any:
    """A text field of a request body, with its limits in the schema (the checking is ``form_values``'s)."""
    extra: dict[str, Any] = {"maxLength": limit}
    if required:
        extra.update(minLength=1, pattern=r"\S")  # blank or only spaces counts as missing
        return Field(description=description, examples=[example], json_schema_extra=extra)
    return Field(None, description=description, examples=[example], json_schema_extra=extra)


def day(description: str, *, example: str, required: bool = True) -> Any:
    """A date field (YYYY-MM-DD), parsed by ``form_values.day`` so the error says how to write it.

    The pattern says what ``form_values.day`` takes: spaces around are trimmed, and an optional date may
    be left empty (as a date input sends it) as well as null."""
    iso = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
    extra = {"pattern": rf"^\s*{iso}\s*$" if required else rf"^\s*({iso})?\s*$"}
    if required:
        return Field(description=f"{description} (YYYY-MM-DD)", examples=[example], json_schema_extra=extra)
    return Field(None, description=f"{description} (YYYY-MM-DD)", examples=[example], json_schema_extra=extra)


@contextmanager
def pointed_at(renames: Mapping[str, str]) -> Iterator[None]:
    """Re-raise a web error with ``where`` as the API names it (``note`` -> ``body.note``).

    The services name the form field or the row (``note``, ``report``) because the pages show the error
    beside that field; an API client needs to know which part of its request to change.
    """
    try:
        yield
    except WebError as exc:
        if exc.where in renames:
            raise type(exc)(exc.message, where=renames[exc.where]) from None
        raise


def body_fields(model: type[BaseModel], **renames: str) -> dict[str, str]:
    """``{field: "body.field"}`` for every field of ``model``, plus any other names the service uses."""
    return {**{name: f"body.{name}" for name in model.model_fields}, **renames}
