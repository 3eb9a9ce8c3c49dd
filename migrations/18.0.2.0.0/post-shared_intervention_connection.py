"""Interventions received from a sharing partner before the connection was recorded on them.

Their idempotency key is unique per connection: without it, a retry of an old delivery, or an
import resumed across the upgrade, would store the intervention twice. The connection is the one
the installation is shared over: the share we received it from, or the one share we granted on it.
"""


def migrate(cr, version):
    # Received on an installation we hold from a share: that share's connection.
    cr.execute(
        """
        UPDATE hvac_shared_intervention si
           SET connection_id = share.connection_id
          FROM hvac_installation inst
          JOIN hvac_share share ON share.id = inst.shared_from_share_id
         WHERE si.connection_id IS NULL
           AND inst.id = si.installation_id
        """
    )
    # Recorded by the partner on one of our installations: the connection of the one share
    # (owner side) that holds it; an installation shared over several connections is left alone.
    cr.execute(
        """
        UPDATE hvac_shared_intervention si
           SET connection_id = owner.connection_id
          FROM (
                SELECT rel.hvac_installation_id AS installation_id, MIN(share.connection_id) AS connection_id
                  FROM hvac_installation_hvac_share_rel rel
                  JOIN hvac_share share ON share.id = rel.hvac_share_id
                 WHERE share.side = 'owner'
              GROUP BY rel.hvac_installation_id
                HAVING COUNT(DISTINCT share.connection_id) = 1
               ) owner
         WHERE si.connection_id IS NULL
           AND owner.installation_id = si.installation_id
        """
    )
