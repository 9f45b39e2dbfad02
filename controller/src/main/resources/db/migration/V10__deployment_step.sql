-- What a running deployment is doing or waiting for now (the deployment runner's words), shown to clients.
ALTER TABLE deployments ADD COLUMN step text;
