-- Sign-in events and recorded access decisions move into the audit ledger, in the order they
-- happened; the integrator gives them their place in the tree at the next start.
INSERT INTO "audit_entry" ("at", "category", "action", "outcome", "actor_type", "actor_id",
  "actor_role", "subject_user_id", "patient_id", "resource", "policies", "policy_version",
  "request_id", "address", "detail")
SELECT "at", "category", "action", "outcome", "actor_type", "actor_id", "actor_role",
  "subject_user_id", "patient_id", "resource", "policies", "policy_version", "request_id",
  "address", "detail"
FROM (
  SELECT "at", 'security' AS "category", "type" AS "action",
    CASE WHEN "type" IN ('sign_in_failed', 'sign_in_throttled', 'participant_check_failed')
      THEN 'failed' ELSE 'succeeded' END AS "outcome",
    CASE WHEN "user_id" IS NULL THEN 'anonymous' ELSE 'staff' END AS "actor_type",
    coalesce("detail"->>'by', "user_id"::text) AS "actor_id", NULL AS "actor_role",
    "user_id" AS "subject_user_id", NULL::uuid AS "patient_id", NULL::jsonb AS "resource",
    NULL::text[] AS "policies", NULL::integer AS "policy_version", NULL AS "request_id",
    "address", "detail", 0 AS "source", "id"
  FROM "security_event"
  UNION ALL
  SELECT "decided_at", 'access', "action",
    CASE "decision" WHEN 'allow' THEN 'allowed' ELSE 'refused' END,
    "principal_type", "principal_id", "role", NULL, "patient_id", "resource", "policies",
    "policy_version", "request_id", NULL, NULL, 1, "id"
  FROM "access_decision"
) AS "moved"
ORDER BY "at", "source", "id";
--> statement-breakpoint
DROP TABLE "access_decision" CASCADE;--> statement-breakpoint
DROP TABLE "security_event" CASCADE;
