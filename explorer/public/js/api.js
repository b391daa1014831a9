// The explorer's only way to the hub: the public GraphQL API, POST JSON to /graphql.

export class ApiError extends Error {}

/** Runs one GraphQL operation and returns its data; throws ApiError with people's words. */
export async function gql(query, variables = {}) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError("The hub could not be reached. Check your connection and try again.");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The hub answered ${response.status} without data.`);
  }
  if (body.errors && body.errors.length) {
    throw new ApiError(body.errors.map((error) => error.message).join(" "));
  }
  if (!response.ok || !body.data) {
    throw new ApiError(`The hub answered ${response.status}.`);
  }
  return body.data;
}

let fieldsPromise = null;

/** The names of the API's query and mutation fields, asked once (to use what has landed). */
export function apiFields() {
  fieldsPromise ??= gql(
    `query ExplorerFields {
      __schema { queryType { fields { name } } mutationType { fields { name } } }
      project: __type(name: "Project") { fields { name } }
    }`,
  ).then((data) => ({
    query: new Set(data.__schema.queryType.fields.map((f) => f.name)),
    mutation: new Set((data.__schema.mutationType?.fields ?? []).map((f) => f.name)),
    project: new Set((data.project?.fields ?? []).map((f) => f.name)),
  }));
  return fieldsPromise;
}
