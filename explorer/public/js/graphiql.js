// GraphiQL on this hub's /graphql, from vendored files only (no CDN). A classic script, not a
// module: the vendored builds define React, ReactDOM and GraphiQL as globals. The API key the
// explorer keeps for this tab (sessionStorage), if any, goes with every request, as it does
// from the explorer; GraphiQL's own headers editor can add or change it.
(function () {
  "use strict";
  const root = document.getElementById("graphiql");
  const endpoint = root.dataset.endpoint;
  let key = null;
  try {
    key = window.sessionStorage.getItem("convener.apiKey");
  } catch {
    /* storage switched off: anonymous */
  }
  const headers = key ? { Authorization: "Bearer " + key } : {};
  const fetcher = GraphiQL.createFetcher({ url: endpoint, headers });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery:
        "# Ask Convener anything its API answers, for example:\n" +
        '{\n  search(text: "falls prevention", first: 5) {\n    kind\n    score\n' +
        "    matchedOn { field snippet }\n  }\n}\n",
    }),
  );
})();
