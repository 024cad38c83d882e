"""The workshop notebook's cells, headless: the same pandas / scikit-learn code, without plots.

Parity tests and the benchmark run this against the same CSV the warehouse loads and compare.
Each function is one cell (or the computation inside it), kept as close to the notebook's text as
the removal of printing and plotting allows, so that a reader can check it line by line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Lasso, LinearRegression, Ridge
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.preprocessing import LabelEncoder, StandardScaler

FEATURE_COLS = [
    "years_active", "album_count", "gender_encoded", "ethnicity_encoded",
    "genre_encoded", "country_encoded", "label_encoded", "award_wins",
    "listeners_per_year", "albums_per_year", "awards_per_year",
    "spotify_soundcloud_ratio",
]
LINEAR_MODELS = ["Linear Regression", "Ridge Regression", "Lasso Regression"]
CLUSTER_FEATURES = [
    "monthly_listeners", "total_streams", "album_count", "years_active",
    "award_wins", "spotify_followers", "soundcloud_followers",
]
OPTIMAL_K = 4


def load(path) -> pd.DataFrame:
    return pd.read_csv(path)


def engineer_features(df):
    df = df.copy()
    df["listeners_per_year"] = df["monthly_listeners"] / df["years_active"]
    df["streams_per_year"] = df["total_streams"] / df["years_active"]
    df["albums_per_year"] = df["album_count"] / df["years_active"]
    df["awards_per_year"] = df["award_wins"] / df["years_active"]
    df["spotify_soundcloud_ratio"] = df["spotify_followers"] / (df["soundcloud_followers"] + 1)
    df["followers_to_listeners_ratio"] = df["spotify_followers"] / (df["monthly_listeners"] + 1)
    df["streams_per_listener"] = df["total_streams"] / (df["monthly_listeners"] + 1)
    df["gender_ethnicity"] = df["gender"] + "_" + df["ethnicity"]
    df["genre_label"] = df["genre"] + "_" + df["label_type"]
    le_gender = LabelEncoder()
    le_ethnicity = LabelEncoder()
    le_genre = LabelEncoder()
    le_country = LabelEncoder()
    le_label = LabelEncoder()
    df["gender_encoded"] = le_gender.fit_transform(df["gender"])
    df["ethnicity_encoded"] = le_ethnicity.fit_transform(df["ethnicity"])
    df["genre_encoded"] = le_genre.fit_transform(df["genre"])
    df["country_encoded"] = le_country.fit_transform(df["country"])
    df["label_encoded"] = le_label.fit_transform(df["label_type"])
    df["success_tier"] = pd.cut(
        df["monthly_listeners"],
        bins=[0, 5000000, 25000000, 50000000, np.inf],
        labels=["Emerging", "Rising", "Mainstream", "Superstar"],
    )
    return df, le_gender, le_ethnicity, le_genre, le_country, le_label


def make_models() -> dict:
    return {
        "Linear Regression": LinearRegression(),
        "Ridge Regression": Ridge(alpha=1.0),
        "Lasso Regression": Lasso(alpha=1.0),
        "Random Forest": RandomForestRegressor(n_estimators=100, random_state=42),
        "Gradient Boosting": GradientBoostingRegressor(n_estimators=100, random_state=42),
    }


def split(df_engineered, feature_cols=FEATURE_COLS):
    X = df_engineered[feature_cols]
    y_listeners = df_engineered["monthly_listeners"]
    X_train, X_test, y_train_listeners, y_test_listeners = train_test_split(
        X, y_listeners, test_size=0.3, random_state=42)
    scaler = StandardScaler()
    X_train_scaled = scaler.fit_transform(X_train)
    X_test_scaled = scaler.transform(X_test)
    return X_train, X_test, y_train_listeners, y_test_listeners, X_train_scaled, X_test_scaled


def train_models(X_train, X_test, y_train_listeners, y_test_listeners, X_train_scaled, X_test_scaled):
    """The model cell: returns (model_results, results_df, best_model_name)."""
    model_results = {}
    for name, model in make_models().items():
        if name in LINEAR_MODELS:
            X_train_use, X_test_use = X_train_scaled, X_test_scaled
        else:
            X_train_use, X_test_use = X_train, X_test
        model.fit(X_train_use, y_train_listeners)
        y_pred = model.predict(X_test_use)
        mse = mean_squared_error(y_test_listeners, y_pred)
        rmse = np.sqrt(mse)
        mae = mean_absolute_error(y_test_listeners, y_pred)
        r2 = r2_score(y_test_listeners, y_pred)
        cv_scores = cross_val_score(model, X_train_use, y_train_listeners, cv=5, scoring="r2")
        model_results[name] = {
            "RMSE": rmse, "MAE": mae, "R²": r2,
            "CV_R²_mean": cv_scores.mean(), "CV_R²_std": cv_scores.std(),
            "model": model, "predictions": y_pred,
        }
    results_df = pd.DataFrame({k: {metric: v[metric] for metric in ["RMSE", "MAE", "R²", "CV_R²_mean", "CV_R²_std"]}
                               for k, v in model_results.items()}).T
    best_model_name = results_df["R²"].idxmax()
    return model_results, results_df, best_model_name


def feature_importance(model_results, best_model_name, feature_cols=FEATURE_COLS):
    best_model = model_results[best_model_name]["model"]
    if hasattr(best_model, "feature_importances_"):
        importance = best_model.feature_importances_
    else:
        importance = np.abs(best_model.coef_)
    return pd.DataFrame({"feature": feature_cols, "importance": importance}).sort_values("importance", ascending=False)


def bias_tables(X_test, y_test_listeners, predictions, le_gender, le_ethnicity, le_genre, le_label):
    """The bias-detection cell: (test_results, gender_bias, ethnicity_bias), unrounded."""
    test_results = X_test.copy()
    test_results["actual"] = y_test_listeners
    test_results["predicted"] = predictions
    test_results["error"] = test_results["actual"] - test_results["predicted"]
    test_results["abs_error"] = np.abs(test_results["error"])
    test_results["pct_error"] = (test_results["error"] / test_results["actual"]) * 100
    test_results["gender"] = le_gender.inverse_transform(test_results["gender_encoded"])
    test_results["ethnicity"] = le_ethnicity.inverse_transform(test_results["ethnicity_encoded"])
    test_results["genre"] = le_genre.inverse_transform(test_results["genre_encoded"])
    test_results["label_type"] = le_label.inverse_transform(test_results["label_encoded"])
    aggregations = {"error": ["mean", "std"], "abs_error": "mean", "pct_error": "mean"}
    gender_bias = test_results.groupby("gender").agg(aggregations)
    ethnicity_bias = test_results.groupby("ethnicity").agg(aggregations)
    return test_results, gender_bias, ethnicity_bias


def elbow(df_engineered):
    """The elbow cell: (X_cluster_scaled, inertias for k = 2..10)."""
    X_cluster = df_engineered[CLUSTER_FEATURES]
    scaler_cluster = StandardScaler()
    X_cluster_scaled = scaler_cluster.fit_transform(X_cluster)
    inertias = []
    for k in range(2, 11):
        kmeans = KMeans(n_clusters=k, random_state=42)
        kmeans.fit(X_cluster_scaled)
        inertias.append(kmeans.inertia_)
    return X_cluster_scaled, inertias


def clusters(df_engineered, X_cluster_scaled):
    """The clustering and PCA cells: (kmeans, labels, cluster_summary, pca, X_pca, centers_pca)."""
    kmeans = KMeans(n_clusters=OPTIMAL_K, random_state=42)
    labels = kmeans.fit_predict(X_cluster_scaled)
    df_clustered = df_engineered.copy()
    df_clustered["cluster"] = labels
    cluster_summary = df_clustered.groupby("cluster")[CLUSTER_FEATURES].mean()
    pca = PCA(n_components=2)
    X_pca = pca.fit_transform(X_cluster_scaled)
    centers_pca = pca.transform(kmeans.cluster_centers_)
    return kmeans, labels, cluster_summary, pca, X_pca, centers_pca


def calculate_fairness_metrics(df, protected_attribute, outcome_variable, threshold_percentile=75):
    df = df.copy()
    threshold = np.percentile(df[outcome_variable], threshold_percentile)
    df["high_success"] = (df[outcome_variable] >= threshold).astype(int)
    metrics = {}
    groups = df[protected_attribute].unique()
    group_rates = {}
    for group in groups:
        group_data = df[df[protected_attribute] == group]
        group_rates[group] = group_data["high_success"].mean()
    metrics["statistical_parity_diff"] = max(group_rates.values()) - min(group_rates.values())
    avg_success_by_group = df.groupby(protected_attribute)[outcome_variable].mean()
    metrics["success_ratio"] = avg_success_by_group.max() / avg_success_by_group.min()
    top_tier = df[df["high_success"] == 1]
    top_tier_composition = top_tier[protected_attribute].value_counts(normalize=True)
    overall_composition = df[protected_attribute].value_counts(normalize=True)
    representation_ratio = {}
    for group in groups:
        top_pct = top_tier_composition.get(group, 0)
        overall_pct = overall_composition.get(group, 0)
        representation_ratio[group] = top_pct / overall_pct if overall_pct > 0 else 0
    metrics["group_rates"] = group_rates
    metrics["avg_success_by_group"] = avg_success_by_group.to_dict()
    metrics["representation_ratio"] = representation_ratio
    metrics["threshold"] = threshold
    return metrics


def create_equity_score(df):
    df = df.copy()
    df["quality_score"] = (
        (df["award_wins"] / df["award_wins"].max()) * 0.3
        + (df["albums_per_year"] / df["albums_per_year"].max()) * 0.2
        + (df["years_active"] / df["years_active"].max()) * 0.2
        + (df["streams_per_listener"] / df["streams_per_listener"].max()) * 0.3
    )
    df["visibility_score"] = 1 - (df["monthly_listeners"] / df["monthly_listeners"].max())
    demographic_weights = {"Female": 1.3, "Male": 1.0}
    ethnicity_weights = {"White": 1.0, "Black": 1.2, "Latino": 1.2, "Asian": 1.3, "Mixed": 1.2, "Middle Eastern": 1.4}
    df["demo_weight"] = df["gender"].map(demographic_weights) * df["ethnicity"].map(ethnicity_weights)
    df["label_boost"] = df["label_type"].map({"Independent": 1.2, "Major": 1.0})
    df["equity_score"] = (df["quality_score"] * 0.4 + df["visibility_score"] * 0.3
                          + df["demo_weight"] * 0.2 + df["label_boost"] * 0.1)
    return df


def top_equity(df_equity, n=15):
    return df_equity.nlargest(n, "equity_score")[[
        "artist_name", "gender", "ethnicity", "genre", "country", "label_type",
        "monthly_listeners", "quality_score", "visibility_score", "equity_score",
    ]]
