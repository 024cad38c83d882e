-- Fails the build when a line was neither loaded nor quarantined (or counted twice).
select source_file, rows_read, artists_loaded, rows_quarantined
from {{ ref('load_reconciliation') }}
where rows_read != artists_loaded + rows_quarantined
