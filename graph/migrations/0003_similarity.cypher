// Similar projects (graph/similarity): blocking keys, term statistics, reviews of pairs.
CREATE FULLTEXT INDEX project_similarity_keys IF NOT EXISTS
FOR (n:Project) ON EACH [n.simKeys]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}};

CREATE CONSTRAINT similarity_term IF NOT EXISTS
FOR (t:SimilarityTerm) REQUIRE t.term IS UNIQUE;

CREATE CONSTRAINT similarity_model_id IF NOT EXISTS
FOR (m:SimilarityModel) REQUIRE m.id IS UNIQUE;

CREATE CONSTRAINT duplicate_review_pair IF NOT EXISTS
FOR (r:DuplicateReview) REQUIRE r.pair IS UNIQUE;

CREATE INDEX similar_to_pair IF NOT EXISTS FOR ()-[s:SIMILAR_TO]-() ON (s.pair);
CREATE INDEX similar_to_run IF NOT EXISTS FOR ()-[s:SIMILAR_TO]-() ON (s.run);
CREATE INDEX similar_to_score IF NOT EXISTS FOR ()-[s:SIMILAR_TO]-() ON (s.score);
