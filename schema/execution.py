"""Plain fields without graphql-core's per-field machinery, for big lists of small objects.

graphql-core executes every field of every object the same way: a path segment, a resolve
info, the resolver, then completion through non-null, list, leaf and object checks. That is
about 6 microseconds a field on our machine, and a `duplicates` page has some 8,000 fields
(a thousand pairs, each with `a { id } b { id } score kind explanation`): most of its time.

Most of those fields are *plain*: a strawberry field without a resolver, arguments or field
extensions, read as an attribute of the object (strawberry's own fast path already skips
``Info`` for them). ``ConvenerExecutionContext`` reads such fields directly and completes them
with the schema's own ``coerce_output_value``, planned once per selection in a request:

- a leaf (scalar or enum), or a list of leaves;
- an object, or a list of objects, whose selected fields are all plain in turn (no
  ``is_type_of``, no abstract types).

Any other field (resolvers, arguments, interfaces and unions, deferred or streamed fields)
takes graphql-core's own path, and so does a plain field whose value is anything unexpected:
null where the schema says non-null, a value the scalar refuses, an awaitable, an exception.
Plain fields only read attributes, so reading one again on the normal path is harmless, and
errors come out exactly as graphql-core words and places them. Resolvers that are extensions'
(``SchemaExtension.resolve``) turn the shortcut off for the whole request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

Read = Callable[[Any], Any]
"""Reads one plain field of a source object and completes it; raises on anything unusual."""
_Steps = list[tuple[str, str, type, Read]]
"""An object's plain fields: response name, attribute, the type of value that comes out
unchanged, and how to complete any other value."""


class _Never:
    """A type no value has: for fields whose every value goes through its completer."""


_TYPENAME = "__typename"
_COLLECTION_DIRECTIVES = frozenset({"skip", "include"})
"""Directives that only decide whether a field is collected (already applied by then)."""


class _Slow(Exception):
    """A plain field whose value needs graphql-core's own completion (to report an error)."""


class ConvenerExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context, with plain fields read and completed directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        middleware = self.middleware_manager
        self._direct = middleware is None or not middleware._middleware_resolvers
        # Plans per grouped field set (kept alive with it, so its id is not reused).
        self._plans: dict[int, tuple[GroupedFieldSet, _Plan | None]] = {}
        self._completions: dict[tuple[int, int], tuple[FieldDetailsList, Read | None]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        plan = self._plan(parent_type, grouped_field_set) if self._direct else None
        if plan is None or position_context is not None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        done: dict[str, Any] = {}
        for name, read in plan.reads:
            try:
                done[name] = read(source_value)
            except Exception:  # left to graphql-core, which reports it properly
                continue
        if len(done) == len(grouped_field_set):
            return done
        rest = (
            plan.rest
            if len(done) == len(plan.reads)
            else {k: v for k, v in grouped_field_set.items() if k not in done}
        )
        others = super().execute_fields(parent_type, source_value, path, rest, position_context)
        if self.is_awaitable(others):
            return _merged_later(grouped_field_set, done, others)
        return _merged(grouped_field_set, done, others)

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A resolver's value completed directly when its type and selection are plain (a
        list of pairs, say), else as graphql-core does."""
        if self._direct and position_context is None:
            complete = self._completion(return_type, field_details_list)
            if complete is not None:
                try:
                    return complete(result)
                except Exception:  # left to graphql-core, which reports it properly
                    pass
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _completion(self, type_: GraphQLOutputType, details: FieldDetailsList) -> Read | None:
        key = (id(type_), id(details))
        found = self._completions.get(key)
        if found is None:
            complete = self._completer(type_, details) if _simple(details) else None
            found = self._completions[key] = (details, complete)
        return found[1]

    def _plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> _Plan | None:
        key = id(fields)
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = (fields, self._make_plan(parent_type, fields))
        return found[1]

    def _make_plan(self, parent_type: GraphQLObjectType, fields: GroupedFieldSet) -> _Plan | None:
        reads = []
        for name, details in fields.items():
            read = self._reader(parent_type, details)
            if read is not None:
                reads.append((name, read))
        if not reads:
            return None
        direct = {name for name, _ in reads}
        rest = {k: v for k, v in fields.items() if k not in direct}
        return _Plan(reads, rest)

    def _pure(self, object_type: GraphQLObjectType, details: FieldDetailsList) -> _Steps | None:
        """How to read each selected field of an object whose selected fields are all plain,
        else None."""
        if object_type.is_type_of is not None:
            return None
        fields, deferred, _ = self.collect_subfields(object_type, details)
        if deferred:
            return None
        steps = []
        for name, inner in fields.items():
            step = self._step(object_type, inner)
            if step is None:
                return None
            steps.append((name, *step))
        reads = [(name, _read(attribute, complete)) for name, attribute, _, complete in steps]
        self._plans[id(fields)] = (fields, _Plan(reads, {}))
        return steps

    def _reader(self, parent_type: GraphQLObjectType, details: FieldDetailsList) -> Read | None:
        """How to read this field directly, or None when it needs graphql-core's path."""
        step = self._step(parent_type, details)
        return _read(step[0], step[2]) if step is not None else None

    def _step(
        self, parent_type: GraphQLObjectType, details: FieldDetailsList
    ) -> tuple[str, type, Read] | None:
        """The attribute a plain field reads, the type of value it returns as it is (if any),
        and how its value completes; None when the field needs graphql-core's path."""
        if not _simple(details) or any(d.node.arguments for d in details):
            return None
        field_name = details[0].node.name.value
        if field_name == _TYPENAME:
            type_name = parent_type.name
            return "__class__", _Never, lambda _: type_name  # every object has a __class__
        field = self.schema.get_field(parent_type, field_name)
        attribute = _plain_attribute(field)
        if field is None or attribute is None:
            return None
        complete = self._completer(field.type, details)
        if complete is None:
            return None
        leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        return attribute, _UNCHANGED.get(leaf, _Never), complete  # type: ignore[call-overload]

    def _completer(self, type_: GraphQLOutputType, details: FieldDetailsList) -> Read | None:
        """How to complete a value of ``type_`` directly (null and non-null alike)."""
        required = isinstance(type_, GraphQLNonNull)
        inner_type = type_.of_type if required else type_
        if isinstance(inner_type, GraphQLList):
            item = self._completer(inner_type.of_type, details)
            return _list(item, required) if item is not None else None
        if is_leaf_type(inner_type):
            return _leaf(inner_type, required)  # type: ignore[arg-type]
        if is_object_type(inner_type):
            steps = self._pure(inner_type, details)  # type: ignore[arg-type]
            return _object(steps, required) if steps is not None else None
        return None


class _Plan:
    __slots__ = ("reads", "rest")

    def __init__(self, reads: list[tuple[str, Read]], rest: GroupedFieldSet) -> None:
        self.reads = reads
        self.rest = rest
        """The fields graphql-core executes (when every direct read succeeds)."""


def _simple(details: FieldDetailsList) -> bool:
    """A field neither deferred nor streamed, nor under fragment variables."""
    for detail in details:
        if detail.defer_usage is not None or detail.fragment_variable_values is not None:
            return False
        if any(d.name.value not in _COLLECTION_DIRECTIVES for d in detail.node.directives or ()):
            return False
    return True


def _plain_attribute(field: GraphQLField | None) -> str | None:
    """The attribute a field reads when it is plain: strawberry's basic field (no resolver,
    no extensions) with the default resolver, ``getattr``; else None."""
    if field is None or field.args or not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or getattr(definition, "default_resolver", None) is not getattr:
        return None
    # strawberry marks a field with extensions but no resolver as default too; its extensions
    # (a PermissionExtension, say) must run, so only a basic field is plain.
    if not definition.is_basic_field:
        return None
    return definition.python_name


def _read(attribute: str, complete: Read) -> Read:
    def read(source: Any) -> Any:
        return complete(getattr(source, attribute))

    return read


# Values of these exact types come out of the built-in scalar unchanged (graphql-core's
# serialize_string, serialize_id and serialize_boolean return them as they are).
_UNCHANGED: dict[GraphQLScalarType, type] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
}
_usable_types: dict[type, bool] = {}


def _usable(value: Any) -> bool:
    """A value direct completion may take: graphql-core would await an awaitable and raise an
    exception. Both are properties of the value's type, so the answer is kept per type."""
    kind = type(value)
    found = _usable_types.get(kind)
    if found is None:
        found = _usable_types[kind] = not (
            issubclass(kind, Exception) or isinstance(value, Awaitable)
        )
    return found


def _null(required: bool) -> None:
    """Null where the type allows it; graphql-core reports it where it does not."""
    if required:
        raise _Slow


def _leaf(type_: GraphQLLeafType, required: bool) -> Read:
    coerce = type_.coerce_output_value
    same = _UNCHANGED.get(type_)  # type: ignore[call-overload]

    def complete(value: Any) -> Any:
        if type(value) is same:
            return value
        if value is None or value is Undefined:
            return _null(required)
        if not _usable(value):
            raise _Slow
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise _Slow
        return coerced

    return complete


def _object(steps: _Steps, required: bool) -> Read:
    """An object's selected fields, each read and completed directly; a value of the type a
    field returns unchanged (a str in a String field, say) is taken as it is, without a call."""

    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            return _null(required)
        if not _usable(value):
            raise _Slow
        done = {}
        for name, attribute, same, finish in steps:
            item = getattr(value, attribute)
            done[name] = item if type(item) is same else finish(item)
        return done

    return complete


def _list(item: Read, required: bool) -> Read:
    def complete(value: Any) -> Any:
        if type(value) is list or type(value) is tuple:
            return [item(each) for each in value]
        if value is None or value is Undefined:
            return _null(required)
        raise _Slow  # other iterables (and awaitables) as graphql-core takes them

    return complete


def _merged(fields: GroupedFieldSet, done: dict[str, Any], others: dict[str, Any]) -> Any:
    """Both parts of an object's fields, in the order of its selection (graphql-core leaves
    out a field it could not find, and so does this)."""
    return {
        name: done[name] if name in done else others[name]
        for name in fields
        if name in done or name in others
    }


async def _merged_later(
    fields: GroupedFieldSet, done: dict[str, Any], others: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _merged(fields, done, await others)
