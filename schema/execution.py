"""Plain fields without graphql-core's per-field machinery, for big lists of small objects.

graphql-core executes every field of every object the same way: a path segment, a resolve
info, the resolver, then completion through non-null, list, leaf and object checks. That is
about 6 microseconds a field on our machine, and a `duplicates` page has some 8,000 fields
(a thousand pairs, each with `a { id } b { id } score kind explanation`): most of its time.

Most of those fields are *plain*: a strawberry field without a resolver, arguments or field
extensions, read as an attribute of the object (strawberry's own fast path already skips
``Info`` for them). ``ConvenerExecutionContext`` reads such fields directly and completes them
with the schema's own ``coerce_output_value`` (asked once per member for strawberry's enums),
planned once per selection in a request:

- a leaf (scalar or enum), or a list of leaves;
- an object, or a list of objects, whose selected fields are all read directly in turn (no
  ``is_type_of``);
- a union or an interface whose concrete type follows from the value's class (below).

Any other field (resolvers that did not opt in (below), arguments of a plain field, abstract
types whose concrete type is not certain, deferred or streamed fields) takes graphql-core's
own path, and so does a field whose value is anything unexpected:
null where the schema says non-null, a value the scalar refuses, an awaitable, an exception.
Plain fields only read attributes, so reading one again on the normal path is harmless, and
errors come out exactly as graphql-core words and places them. Resolvers that are extensions'
(``SchemaExtension.resolve``) turn the shortcut off for the whole request.

**Resolvers called directly.** A field with a resolver is read directly too when its
strawberry definition opts in with ``strawberry.field(metadata={DIRECT_RESOLVER: True})`` and
it is otherwise as simple as strawberry's own path makes it: a sync resolver, no field
extensions (so a permission check can never be skipped), no exception handler of the schema
that applies to it, strawberry's own GraphQL resolver on the field, and a selection that is
neither deferred nor streamed. Its arguments depend only on the field's node and the request's
variables, so they are worked out once per plan, as graphql-core (``get_argument_values``)
and strawberry (``convert_arguments``) work them out on the normal path, defaults and input
types included; so is the strawberry ``Info`` it gets. The resolver is then called with the
source object (as ``self``, ``root`` or ``parent``, as it asks) and its value completed as a
plain field's is. When it raises, returns an awaitable or a value direct completion does not
take, that field of that object goes to graphql-core, which calls the resolver again. Opting in
therefore promises that the resolver:

- is free of side effects: it only reads its source, its arguments and ``info.context``, and
  calling it twice gives the same answer (an awaitable it returns is discarded unawaited, a
  coroutine closed, so it must not start work before it is awaited);
- does not change the argument values it is given (they are shared by every object of a plan);
- does not read ``info.path``: the direct ``Info`` has none, and reading it raises, which sends
  the field to graphql-core (with the right path) on every object.

**Unions and interfaces.** A field of an abstract type completes directly when the concrete
type follows for certain from the value's Python class, as strawberry's own ``resolve_type``
would find it: the abstract type's resolver is strawberry's (a union's or an interface's
default, not one a type supplies), the class carries a strawberry object definition that is not
generic, and

- for a union, that definition is in the schema under exactly one name, a member of the union
  (strawberry takes the first type that ``is_implemented_by`` the value: for a non-generic
  definition, the one with that very definition);
- for an interface, the class is a subclass of the interface's, and the type named as the
  definition is (strawberry answers ``definition.name``) is an object type of that definition
  that implements the interface.

The concrete type's ``is_type_of``, which graphql-core calls next, must then be absent or
strawberry's own (for an object type with interfaces), with no ``is_type_of`` on the
definition; for a value of a subclass of the definition's class strawberry's answers
``isinstance``: true. The concrete type is worked out once per abstract type and class (it
depends on the schema alone), its selection once per request. Values cast with
``strawberry.cast`` and everything else go to graphql-core, which resolves and reports them.

Where this mirrors strawberry, it recognises strawberry's own functions (its GraphQL resolver
wrapper, union and interface type resolvers, ``is_type_of``) by their qualified names, so a
strawberry that changes them makes those fields take graphql-core's path, never a wrong one;
``tests/test_api_execution.py`` runs documents on both paths and compares data, key order and
errors.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from math import isfinite
from operator import attrgetter
from types import CoroutineType
from typing import Any

from graphql import (
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    GraphQLUnionType,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType, GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE
from strawberry.types.field import StrawberryField

DIRECT_RESOLVER = "convener.direct-resolver"
"""``strawberry.field(metadata={DIRECT_RESOLVER: True})``: the field's resolver may be called
directly (see the module's docstring for what that promises)."""

Read = Callable[[Any], Any]
"""Reads one plain field of a source object and completes it; raises on anything unusual."""
_Steps = list[tuple[str, Read, type, Read]]
"""An object's plain fields: response name, how to get the value from the object, the type of
value that comes out unchanged, and how to complete any other value."""


class _Never:
    """A type no value has: for fields whose every value goes through its completer."""


_TYPENAME = "__typename"
_CLASS = attrgetter("__class__")  # every object has one
_STRAWBERRY_RESOLVER = "GraphQLCoreConverter.from_resolver.<locals>._resolver"
_STRAWBERRY_UNION_RESOLVER = "StrawberryUnion.get_type_resolver.<locals>._resolve_union_type"
_STRAWBERRY_INTERFACE_RESOLVER = (
    "GraphQLCoreConverter.from_interface.<locals>._get_resolve_type.<locals>.resolve_type"
)
_STRAWBERRY_IS_TYPE_OF = (
    "GraphQLCoreConverter.from_object.<locals>._get_is_type_of.<locals>.is_type_of"
)
_DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF
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

    def build_response(self, data: dict[str, Any] | None) -> Any:
        """The response, once the plans are dropped: they hold closures over this context, so
        left in it they are cycles the garbage collector must find after every request (about
        240 of the 580 objects a projects page left to it)."""
        self._plans.clear()
        self._completions.clear()
        return super().build_response(data)

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

    def _pure(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, checked: bool = False
    ) -> _Steps | None:
        """How to read each selected field of an object whose selected fields are all plain,
        else None. ``checked``: the object type's ``is_type_of`` is known to accept the value."""
        if object_type.is_type_of is not None and not checked:
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
        reads = [(name, _read(get, complete)) for name, get, _, complete in steps]
        self._plans[id(fields)] = (fields, _Plan(reads, {}))
        return steps

    def _reader(self, parent_type: GraphQLObjectType, details: FieldDetailsList) -> Read | None:
        """How to read this field directly, or None when it needs graphql-core's path."""
        step = self._step(parent_type, details)
        return _read(step[0], step[2]) if step is not None else None

    def _step(
        self, parent_type: GraphQLObjectType, details: FieldDetailsList
    ) -> tuple[Read, type, Read] | None:
        """How to get a field's value from an object (an attribute, or a resolver that opted
        in), the type of value it returns as it is (if any), and how its value completes; None
        when the field needs graphql-core's path."""
        if not _simple(details):
            return None
        field_name = details[0].node.name.value
        if field_name == _TYPENAME:
            type_name = parent_type.name
            return _CLASS, _Never, lambda _: type_name
        field = self.schema.get_field(parent_type, field_name)
        if field is None:
            return None
        plain = not any(d.node.arguments for d in details)
        if plain:
            known = _leaf_steps.get(id(field))
            if known is not None and known[0] is field:
                return known[1]
        attribute = _plain_attribute(field)
        if attribute is not None and plain:
            get: Read | None = attrgetter(attribute)
        else:
            get = self._caller(parent_type, field, details)
        if get is None:
            return None
        complete = self._completer(field.type, details)
        if complete is None:
            return None
        leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        step = get, _UNCHANGED.get(leaf, _Never), complete  # type: ignore[call-overload]
        if attribute is not None and plain and is_leaf_type(get_named_type(field.type)):
            _leaf_steps[id(field)] = (field, step)  # nothing in it depends on the request
        return step

    def _caller(
        self, parent_type: GraphQLObjectType, field: GraphQLField, details: FieldDetailsList
    ) -> Read | None:
        """A call of the field's resolver with a source object, when the field opted in and
        nothing strawberry would do around the call is skipped by it; else None."""
        definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryField) or not definition.metadata.get(
            DIRECT_RESOLVER
        ):
            return None
        resolver = definition.base_resolver
        if resolver is None or definition.extensions or definition.is_async:
            return None
        if getattr(field.resolve, "__qualname__", None) != _STRAWBERRY_RESOLVER:
            return None  # not strawberry's wrapper (a directive's, say): it may do more
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        if strawberry_schema is None:
            return None
        converter = strawberry_schema.schema_converter
        handlers = getattr(converter, "_get_field_exception_handlers", None)
        if handlers is None or handlers(definition):
            return None
        config = strawberry_schema.config
        first = details[0]
        try:
            raw = (
                get_argument_values(
                    field, first.node, self.variable_values, None, self.hide_suggestions
                )
                if field.args or first.node.arguments
                else {}
            )
            resolve_info = self.build_resolve_info(
                field, [d.node for d in details], parent_type, None
            )
            info = config.info_class(_raw_info=_without_path(resolve_info), _field=definition)
            kwargs = convert_arguments(
                raw,
                definition.arguments,
                scalar_registry=converter.scalar_registry,
                config=config,
                info=info,
            )
        except Exception:  # graphql-core reports it, on every object
            return None
        if resolver.info_parameter is not None:
            kwargs[resolver.info_parameter.name] = info
        sources = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p]
        return _call(resolver.wrapped_func, resolver.self_parameter is not None, sources, kwargs)

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
        if is_abstract_type(inner_type):
            return self._abstract(inner_type, details, required)  # type: ignore[arg-type]
        return None

    def _abstract(
        self, type_: GraphQLAbstractType, details: FieldDetailsList, required: bool
    ) -> Read | None:
        """How to complete a value of a union or interface whose concrete type follows from its
        class (see the module's docstring), else None."""
        resolver = getattr(type_.resolve_type, "__qualname__", None)
        if resolver not in (_STRAWBERRY_UNION_RESOLVER, _STRAWBERRY_INTERFACE_RESOLVER):
            return None
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        if strawberry_schema is None:
            return None
        type_map = strawberry_schema.schema_converter.type_map
        by_class: dict[type, tuple[Any, Read] | None] = {}

        def concrete(kind: type) -> tuple[Any, Read] | None:
            if issubclass(kind, BaseException) or issubclass(kind, Awaitable):
                return None
            key = (type_, kind)
            runtime = _runtime_types.get(key, False)
            if runtime is False:  # the same for every request: kept for the schema's life
                runtime = _runtime_types[key] = self._runtime_type(type_, kind, type_map)
            if runtime is None:
                return None
            steps = self._pure(runtime, details, checked=True)
            if steps is None:
                return None
            return kind.__strawberry_definition__, _object(steps, True)  # type: ignore[attr-defined]

        def complete(value: Any) -> Any:
            if value is None or value is Undefined:
                return _null(required)
            kind = type(value)
            try:
                found = by_class[kind]
            except KeyError:
                found = by_class[kind] = concrete(kind)
            if (
                found is None
                or value.__strawberry_definition__ is not found[0]  # the class's, not its own
                or getattr(value, TYPE_CAST_ATTRIBUTE, None) is not None
            ):
                raise _Slow
            return found[1](value)

        return complete

    def _runtime_type(
        self, type_: GraphQLAbstractType, kind: type, type_map: Any
    ) -> GraphQLObjectType | None:
        """The object type strawberry's resolve_type gives a (not cast) value of class ``kind``
        and graphql-core accepts (its ``is_type_of`` included), when that is certain."""
        definition = getattr(kind, "__strawberry_definition__", None)
        if (
            not isinstance(definition, StrawberryObjectDefinition)
            or definition.is_graphql_generic
            or definition.concrete_of is not None
            or definition.is_type_of is not None
            or not issubclass(kind, definition.origin)
        ):
            return None
        runtime: Any
        if isinstance(type_, GraphQLUnionType):
            # strawberry takes the first type the value's definition is, or is generic of.
            found = [
                concrete.implementation
                for concrete in type_map.values()
                if concrete.definition is definition
                or getattr(concrete.definition, "concrete_of", None) is definition
            ]
            if len(found) != 1 or found[0] not in type_.types:
                return None
            runtime = found[0]
            name = runtime.name
        else:
            interface = (type_.extensions or {}).get(_DEFINITION)
            if not isinstance(interface, StrawberryObjectDefinition) or not issubclass(
                kind, interface.origin
            ):
                return None
            name = definition.name
            runtime = self.schema.get_type(name)
        # What graphql-core checks of the name it is given, then its is_type_of.
        if (
            not is_object_type(runtime)
            or self.schema.get_type(name) is not runtime
            or not self.schema.is_sub_type(type_, runtime)
            or (runtime.extensions or {}).get(_DEFINITION) is not definition
        ):
            return None
        is_type_of = getattr(runtime.is_type_of, "__qualname__", _STRAWBERRY_IS_TYPE_OF)
        if runtime.is_type_of is not None and is_type_of != _STRAWBERRY_IS_TYPE_OF:
            return None
        return runtime  # type: ignore[return-value]


_leaf_steps: dict[int, tuple[GraphQLField, tuple[Read, type, Read]]] = {}
"""The step of each plain field of a leaf type (or a list of them), by the field's id (the
field is kept with it, so its id is not reused): it depends on the field alone."""
_runtime_types: dict[tuple[GraphQLAbstractType, type], GraphQLObjectType | None] = {}
"""The concrete type of each abstract type and class, as ``_runtime_type`` answers."""


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
        directives = detail.node.directives  # mostly none: no generator to start
        if directives and any(d.name.value not in _COLLECTION_DIRECTIVES for d in directives):
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


def _read(get: Read, complete: Read) -> Read:
    def read(source: Any) -> Any:
        return complete(get(source))

    return read


def _call(function: Callable[..., Any], with_self: bool, sources: list[str], kwargs: dict) -> Read:
    """A resolver called with a source object as strawberry calls it: the source as ``self``
    and under the names of its ``root``/``parent`` parameters, then the arguments."""

    def call(source: Any) -> Any:
        positional = (source,) if with_self else ()
        value = function(*positional, **kwargs, **dict.fromkeys(sources, source))
        if type(value) is CoroutineType:
            value.close()  # never started: graphql-core calls the resolver again and awaits
            raise _Slow
        return value

    return call


def _path_unknown(_: Any) -> Any:
    raise _Slow("a resolver called directly has no path: graphql-core calls it with one")


_without_path_types: dict[type, type] = {}


def _without_path(info: tuple) -> Any:
    """A copy of a resolve info whose ``path`` raises (see ``_caller``)."""
    kind = type(info)
    found = _without_path_types.get(kind)
    if found is None:
        namespace = {"__slots__": (), "path": property(_path_unknown)}
        found = _without_path_types[kind] = type(f"{kind.__name__}WithoutPath", (kind,), namespace)
    return found(*info)


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

    if type_ is GraphQLFloat:

        def complete_float(value: Any) -> Any:
            if type(value) is float and isfinite(value):
                return value  # what graphql-core's serialize_float gives a finite float
            return complete(value)

        return complete_float
    members = _enum_names(type_)
    if members is None:
        return complete
    kind, names = members

    def complete_member(value: Any) -> Any:
        if type(value) is kind:
            name = names.get(id(value))
            if name is not None:
                return name
        return complete(value)

    return complete_member


_enum_names_found: dict[GraphQLLeafType, tuple[type, dict[int, str]] | None] = {}


def _enum_names(type_: GraphQLLeafType) -> tuple[type, dict[int, str]] | None:
    """For strawberry's own enum type: its Python enum, and the name each member comes out as
    (its ``coerce_output_value``, asked once per member: a member's value never changes, and
    members live as long as their class, so their ids are never reused); else None."""
    found = _enum_names_found.get(type_, False)
    if found is not False:
        return found  # type: ignore[return-value]
    found = None
    kind = getattr(type_, "wrapped_cls", None)
    if type(type_) is CustomGraphQLEnumType and isinstance(kind, type) and issubclass(kind, Enum):
        names = {}
        for member in kind:
            try:
                name = type_.coerce_output_value(member)
            except Exception:  # graphql-core reports it, each time
                continue
            if type(name) is str:
                names[id(member)] = name
        found = (kind, names)
    _enum_names_found[type_] = found
    return found


def _object(steps: _Steps, required: bool) -> Read:
    """An object's selected fields, each read and completed directly; a value of the type a
    field returns unchanged (a str in a String field, say) is taken as it is, without a call."""

    def complete(value: Any) -> Any:
        if value is None or value is Undefined:
            return _null(required)
        if not _usable_types.get(type(value)) and not _usable(value):  # known usable: no call
            raise _Slow
        done = {}
        for name, get, same, finish in steps:
            item = get(value)
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
