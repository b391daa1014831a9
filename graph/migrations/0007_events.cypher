// Events and training (issue 19): `events` finds what is still to come by the end of each
// event (untilKey), and the library narrows resources to a programme or a module.
CREATE INDEX resource_until_key IF NOT EXISTS FOR (r:Resource) ON (r.untilKey);
CREATE INDEX resource_programme_id IF NOT EXISTS FOR (r:Resource) ON (r.programmeId);
CREATE INDEX resource_module_id IF NOT EXISTS FOR (r:Resource) ON (r.moduleId);
// Projects offering "go and see" visits: open until their last date, or on request.
CREATE INDEX project_visits_open_until IF NOT EXISTS FOR (p:Project) ON (p.visitsOpenUntil);
