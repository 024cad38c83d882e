"""Archetypes: the KMeans elbow, the clusters in PCA space, their composition and profiles."""

from __future__ import annotations

from reports import charts
from reports.page import Column, Section, as_int, is_missing, number, percent
from reports.sections.common import (
    BREAKDOWN_ATTRIBUTES,
    Block,
    ReportSettings,
    count_word,
    panel_sample_caption,
    series,
)
from reports.sections.model_output import require_model_output, skip_reasons
from reports.warehouse_reader import Unavailable, WarehouseReader

PROFILE_MEANS = ("monthly_listeners", "total_streams", "album_count", "years_active", "award_wins",
                 "spotify_followers", "soundcloud_followers")
ELBOW = Block("elbow", "Elbow curve with silhouette")
PCA = Block("pca-clusters", "Clusters in PCA space")
COMPOSITION = Block("cluster-composition", "Cluster composition")
PROFILES = Block("cluster-profiles", "Cluster profiles (feature means)")


def elbow_chart(reader: WarehouseReader, block: Block):
    require_model_output(reader, "ml.cluster_elbow", ["k", "status", "inertia", "silhouette"], "elbow")
    curve = reader.select("reporting.elbow_k_scores", ["k", "inertia", "silhouette", "chosen_k"], order_by=("k",))
    if curve.empty:
        raise Unavailable(f"every k of the elbow was skipped: {skip_reasons(reader, 'elbow')}")
    chosen = curve["chosen_k"].iloc[0]
    return block.chart(charts.elbow(curve[["k", "inertia", "silhouette"]], None if is_missing(chosen) else int(chosen)),
                       "Inertia (left axis) always falls as k grows: look for the bend. Silhouette (right axis, −1 to "
                       "1) is higher when clusters are well separated. The grey line marks the k the build used.")


def pca_axis_titles(reader: WarehouseReader) -> tuple[str, str]:
    require_model_output(reader, "ml.pca_components", ["component", "explained_variance_ratio"], "clusters")
    ratios = reader.select("ml.pca_components", ["component", "explained_variance_ratio"], order_by=("component",))
    first, second = ratios["explained_variance_ratio"].iloc[:2]
    return f"PC1 ({first:.2%} variance)", f"PC2 ({second:.2%} variance)"


def pca_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    require_model_output(reader, "ml.artist_clusters", ["artist_id", "cluster", "pc1", "pc2"], "clusters")
    points = reader.select("reporting.artist_cluster_sample", ["cluster", "pc1", "pc2", "panel_total"],
                           order_by=("artist_id",))
    require_model_output(reader, "ml.cluster_profiles", ["cluster", "centre_pc1", "centre_pc2"], "clusters")
    # the KMeans centres projected on the principal components (the notebook's red crosses)
    centres = reader.select("ml.cluster_profiles", ["cluster", "centre_pc1", "centre_pc2"], order_by=("cluster",))
    centres = centres.rename(columns={"centre_pc1": "pc1", "centre_pc2": "pc2"})
    pc1_title, pc2_title = pca_axis_titles(reader)
    return block.chart(charts.pca_clusters(points, centres, pc1_title, pc2_title),
                       panel_sample_caption(settings, points))


def composition_chart(reader: WarehouseReader, block: Block):
    columns = ["attribute", "cluster", "group_value", "n", "share"]
    require_model_output(reader, "ml.cluster_composition", columns, "clusters")
    composition = reader.select("ml.cluster_composition", columns, where={"attribute": BREAKDOWN_ATTRIBUTES},
                                order_by=("attribute", "cluster", "group_value"))
    return block.chart(charts.cluster_composition(composition),
                       "Each bar is one cluster; compare a group's share across clusters with its share of all "
                       "artists.")


def profiles_table(reader: WarehouseReader, block: Block):
    columns = ["cluster", "size", "share", *(f"{feature}_mean" for feature in PROFILE_MEANS)]
    require_model_output(reader, "ml.cluster_profiles", columns, "clusters")
    profiles = reader.select("ml.cluster_profiles", columns, order_by=("cluster",))
    return block.table(profiles, [
        Column("cluster", "Cluster"),
        number("size", "Artists", as_int),
        number("share", "Share", percent),
        *(number(f"{feature}_mean", feature.replace("_", " "), as_int) for feature in PROFILE_MEANS),
    ], caption="The notebook's cluster_summary: the mean of each clustering feature per cluster (rounded).")


def archetypes(reader: WarehouseReader, settings: ReportSettings) -> Section:
    features = [feature.replace("_", " ") for feature in settings.elements("cluster_features")]
    measures = f"{count_word(len(features))} standardised success measures ({series(features)})" if features \
        else "standardised success measures (var cluster_features)"
    dimensions = f"those {count_word(len(features))} dimensions" if features else "those dimensions"
    return Section("archetypes", "Archetypes", [
        f"KMeans groups artists by {measures}. The PCA scatter flattens {dimensions} to two for drawing; the axis "
        "titles say how much of the variation each keeps.",
        "Clusters describe success profiles, not people: read the composition chart for groups that are over- "
        "or under-represented in the high-success archetypes.",
    ], [
        ELBOW.draw(lambda block: elbow_chart(reader, block)),
        PCA.draw(lambda block: pca_chart(reader, settings, block)),
        COMPOSITION.draw(lambda block: composition_chart(reader, block)),
        PROFILES.draw(lambda block: profiles_table(reader, block)),
    ])
