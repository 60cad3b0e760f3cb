// The Supabase Edge Functions entry: the same app as the Node and Worker
// entries, on Deno (its root: functions/entries/edge.ts). Supabase routes
// https://<ref>.supabase.co/functions/v1/api/* here and the path the function
// sees starts with its name, /api, which is the app's API_BASE_PATH.
// Deploying it: docs/deploy.md.

import { openEdgeRoot } from '../../../functions/entries/edge.ts'

const { app, serveOptions } = openEdgeRoot(Deno.env.toObject())
Deno.serve(serveOptions, app.fetch)
