// The first day a snapshot saw each project stopped and completed, kept on the project
// (graph/impact/snapshots.py keeps them as it records changes), for projects whose changes
// were recorded before it did.
MATCH (change:ProjectStatusChange) WHERE change.status IN ['completed', 'stopped']
WITH change.project AS id, min(change.day) AS stopped,
     min(CASE WHEN change.status = 'completed' THEN change.day END) AS completed
MATCH (project:Project {id: id})
SET project.stoppedOn = stopped, project.completedOn = completed;
