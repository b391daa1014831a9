"""The GraphQL API: strawberry types and resolvers that call ``graph`` for their data."""
