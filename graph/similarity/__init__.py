"""Similar projects across organisations: find them, explain them, and keep people's reviews.

The pieces, one job each:

- ``analysis``: title and aim text -> weighted terms (stemming, stop words, vocabulary topics)
- ``weights``: terms -> TF-IDF vectors (document frequencies from the whole corpus)
- ``profiles``: the graph evidence about a project (topics, organisations, systems, people)
- ``candidates``: which pairs are worth scoring, without comparing every pair
- ``titles``: what a title can prove on its own, and its spelling as a second text signal
- ``scoring``: one pair -> a score, a kind (duplicate, same project or collaboration), reasons
- ``engine``: ``rescore_all`` and ``update_similarity`` (what sync calls)
- ``store``: writing ``SIMILAR_TO`` and the model's statistics
- ``reviews``: people's verdicts on pairs, kept apart so re-scoring never erases them
- ``reads``: pairs, clusters and a project's similar projects, for the API and the CLI
"""
