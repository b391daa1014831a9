// Upkeep of uploads: each member's uploads of the last day are added up against their daily
// allowance, and uploads no submission attaches are forgotten after a day; a file's bytes go
// with its last record.
CREATE INDEX file_uploader IF NOT EXISTS FOR (n:File) ON (n.uploadedBy, n.uploadedAt);
CREATE INDEX file_uploaded IF NOT EXISTS FOR (n:File) ON (n.uploadedAt);
CREATE INDEX file_sha256 IF NOT EXISTS FOR (n:File) ON (n.sha256);
