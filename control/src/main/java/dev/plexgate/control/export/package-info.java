/**
 * {@code plexgate export cloudflare}: the policy plexgate enforces, as the Cloudflare API calls (JSON) or
 * Terraform resources (HCL) that put the same rules at the edge, with a warning wherever the edge will
 * behave differently from plexgate. Pure functions of the loaded policy: nothing here talks to Cloudflare.
 */
package dev.plexgate.control.export;
