"""Every change to labeling. Each runs in a transaction and is audited in it; invalid input raises
``LabelingError`` (one sentence per problem) and stores nothing."""

from shinsa.labeling.actions.answers import do_save_labels, do_submit_labels, refresh_consensus, task_units
from shinsa.labeling.actions.datasets import (
    ImportResult,
    dataset_list,
    do_export_dataset,
    do_import_dataset,
    do_snapshot_project,
    snapshot_path,
)
from shinsa.labeling.actions.projects import (
    do_block_media_export,
    do_create_project,
    do_fill_project,
    do_set_training_rights,
    frame_times_of,
)

__all__ = [
    "ImportResult",
    "dataset_list",
    "do_block_media_export",
    "do_create_project",
    "do_export_dataset",
    "do_fill_project",
    "do_import_dataset",
    "do_save_labels",
    "do_set_training_rights",
    "do_snapshot_project",
    "do_submit_labels",
    "frame_times_of",
    "refresh_consensus",
    "snapshot_path",
    "task_units",
]
