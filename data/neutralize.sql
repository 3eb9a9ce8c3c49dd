-- A copy of a production database (a staging branch, a restored backup, odoo-bin neutralize)
-- must reach no production service: Trackdéchets and Chorus Pro point to their test
-- environments, without the production tokens and secrets, and the copy no longer talks to
-- the other companies' servers. Odoo runs this file when it neutralizes a database.

-- Trackdéchets: its sandbox, and no user's personal token.
UPDATE res_company
   SET hvac_trackdechets_environment = 'sandbox';
UPDATE res_users
   SET hvac_trackdechets_token = NULL,
       hvac_trackdechets_token_state = 'none',
       hvac_trackdechets_token_message = 'Neutralized copy: paste a Trackdéchets sandbox token.'
 WHERE hvac_trackdechets_token IS NOT NULL
    OR hvac_trackdechets_token_state != 'none';

-- Chorus Pro: its qualification environment, without the production secrets.
UPDATE res_company
   SET hvac_chorus_environment = 'qualification',
       hvac_chorus_piste_client_secret = NULL,
       hvac_chorus_password = NULL,
       hvac_chorus_connection_state = 'untested',
       hvac_chorus_connection_message = 'Neutralized copy: enter the credentials of the Chorus Pro qualification environment.';

-- URLs replacing the official ones (a proxy in front of production, maybe): the official test ones apply.
DELETE FROM ir_config_parameter
 WHERE key IN ('hvac_connect.trackdechets_endpoint', 'hvac_connect.chorus_token_url', 'hvac_connect.chorus_api_url');

-- Peers: every connection suspended by us and without its secret, so that no signed call leaves
-- or is accepted; an invitation can no longer be answered.
UPDATE hvac_connection
   SET state = CASE WHEN state = 'ended' THEN 'ended' ELSE 'suspended' END,
       suspended_by = CASE WHEN state = 'ended' THEN suspended_by ELSE 'us' END,
       secret = NULL,
       invitation_code = NULL,
       invitation_digest = NULL;

-- Calls waiting for a peer are dropped, not sent later from the copy.
UPDATE hvac_connection_outbox
   SET state = 'refused',
       last_error = 'neutralized copy'
 WHERE state = 'pending';

-- Our scheduled jobs stay off (base already turns every job off; said here for ours).
UPDATE ir_cron
   SET active = false
 WHERE id IN (SELECT res_id FROM ir_model_data WHERE module = 'hvac_connect' AND model = 'ir.cron');
