"""Sites: the register's pages, readings by site, the roll-up on the scorecard, the league
table, conflicts, roles, bad input and the CSV site column."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.conftest import form_version, login
from workbench.extensions import db
from workbench.models import Change, Goal, Measurement, Metric, Rollup, Site
from workbench.services import metrics as metric_service
from workbench.services import scorecards
from workbench.services import sites as site_service
from workbench.services.tenancy import scope_session

ARABIC = "فندق الميناء"
CJK = "港湾ホテル 酒店"
EMOJI = "🏨 Harbour 🌊"
HOSTILE = (
    "<script>alert(1)</script>",
    "file:///etc/passwd",
    "http://evil.example/x",
    '=HYPERLINK("http://evil")',
)
DAY1 = date.today() - timedelta(days=60)
DAY2 = date.today() - timedelta(days=30)


def _site_form(**values: object) -> dict[str, object]:
    base: dict[str, object] = {"name": "Harbour Hotel", "kind": "hotel", "notes": ""}
    base.update(values)
    return base


def _metric(app: Flask, wid: int, unit: str = "percent", **extra: object) -> int:
    with app.app_context():
        scope_session(db.session, wid)
        row = metric_service.create_metric(
            db.session,
            {"name": f"Metric {unit}", "unit": unit, "direction": "higher", **extra},
        )
        db.session.commit()
        return row.id


def _sites(app: Flask, wid: int, *names: str) -> list[int]:
    with app.app_context():
        scope_session(db.session, wid)
        ids = [site_service.create_site(db.session, {"name": n, "kind": "hotel"}).id for n in names]
        db.session.commit()
        return ids


def test_the_register_adds_edits_and_refuses_to_delete_a_site_in_use(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/metrics/sites"
    assert "No sites yet." in client.get(url).get_data(as_text=True)
    assert (
        client.post(f"{url}/new", data=_site_form(name="South region", kind="region")).status_code
        == 303
    )
    with app.app_context():
        scope_session(db.session, wid)
        region = db.session.scalars(select(Site.id)).one()
    added = client.post(f"{url}/new", data={**_site_form(), "parent_id": str(region)})
    assert added.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Harbour Hotel" in page and "South region" in page and "Region" in page
    # A second site of the same name, in other capitals, is refused.
    twice = client.post(f"{url}/new", data=_site_form(name="HARBOUR hotel"))
    assert twice.status_code == 400 and "exists already" in twice.get_data(as_text=True)
    with app.app_context():
        scope_session(db.session, wid)
        hotel = db.session.scalars(select(Site).where(Site.name == "Harbour Hotel")).one()
        hotel_id = hotel.id
        assert hotel.parent_id == region
    # A loop of parents is refused.
    version = form_version(client.get(f"{url}/{region}").get_data(as_text=True))
    loop = client.post(
        f"{url}/{region}",
        data={
            **_site_form(name="South region", kind="region"),
            "version": version,
            "parent_id": str(hotel_id),
        },
    )
    assert loop.status_code == 400 and "inside itself" in loop.get_data(as_text=True)
    metric_id = _metric(app, wid)
    recorded = client.post(
        f"/workspaces/{wid}/metrics/{metric_id}/measurements",
        data={
            "mode": "one",
            "measured_on": DAY1.isoformat(),
            "value": "70",
            "note": "",
            "site_id": str(hotel_id),
        },
    )
    assert recorded.status_code == 303, recorded.get_data(as_text=True)[:2000]
    refused = client.post(f"{url}/{hotel_id}/delete")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "has 1 measurement;" in text
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.get(Site, hotel_id) is not None
        reading = db.session.scalars(select(Measurement)).one()
        db.session.delete(reading)
        db.session.commit()
    # The region can go: the hotel loses its parent, not itself.
    assert client.post(f"{url}/{region}/delete").status_code == 303
    assert client.post(f"{url}/{hotel_id}/delete").status_code == 303
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(Site)).all() == []
        assert db.session.scalars(select(Change.id).where(Change.entity == "Site")).first()


def test_a_stale_save_is_a_conflict_and_executives_only_read(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    [site_id] = _sites(app, wid, "Harbour Hotel")
    login(client, team["analyst"])
    edit = f"/workspaces/{wid}/metrics/sites/{site_id}"
    version = form_version(client.get(edit).get_data(as_text=True))
    saved = client.post(edit, data={**_site_form(notes="Sea view"), "version": version})
    assert saved.status_code == 303
    stale = client.post(edit, data={**_site_form(notes="Car park"), "version": version})
    assert stale.status_code == 409 and "Sea view" in stale.get_data(as_text=True)
    bad_version = client.post(edit, data={**_site_form(), "version": "x"})
    assert bad_version.status_code == 400
    reader = FlaskClient(app, use_cookies=True)
    login(reader, team["executive"])
    page = reader.get(f"/workspaces/{wid}/metrics/sites").get_data(as_text=True)
    assert "Harbour Hotel" in page and "Add a site" not in page
    detail = reader.get(edit).get_data(as_text=True)
    assert "Save site" not in detail and "Delete site" not in detail and "Sea view" in detail
    assert reader.post(f"/workspaces/{wid}/metrics/sites/new", data=_site_form()).status_code == 403
    assert reader.post(f"{edit}/delete").status_code == 403
    outsider = FlaskClient(app, use_cookies=True)
    login(outsider, team["outsider"])
    assert (
        outsider.get(f"/workspaces/{team['foreign_id']}/metrics/sites/{site_id}").status_code == 404
    )


def test_bad_input_is_refused_clearly_and_never_a_500(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    login(client, team["analyst"])
    new = f"/workspaces/{wid}/metrics/sites/new"
    cases = {
        "Site is required.": _site_form(name="   "),
        "Keep the site under 120 characters.": _site_form(name="x" * 121),
        "Keep the notes under 2,000 characters.": _site_form(notes="n" * 2001),
        "Choose one of: hotel, station": _site_form(kind="castle"),
        "parent site was not recognised": {**_site_form(), "parent_id": "1; DROP"},
        "parent site no longer exists": {**_site_form(), "parent_id": "999999"},
    }
    for message, data in cases.items():
        response = client.post(new, data=data)
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True), message
    for value in (ARABIC, CJK, EMOJI, *HOSTILE):
        response = client.post(new, data=_site_form(name=value, notes=value))
        assert response.status_code == 303, value
    page = client.get(f"/workspaces/{wid}/metrics/sites").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert str(escape("<script>alert(1)</script>")) in page
    with app.app_context():
        scope_session(db.session, wid)
        assert {ARABIC, CJK, EMOJI, *HOSTILE} <= set(db.session.scalars(select(Site.name)))
    # A garbled or unknown site on a measurement is refused, nothing recorded.
    metric_id = _metric(app, wid)
    url = f"/workspaces/{wid}/metrics/{metric_id}/measurements"
    one = {"mode": "one", "measured_on": DAY1.isoformat(), "value": "50", "note": ""}
    assert client.post(url, data={**one, "site_id": "abc"}).status_code == 400
    gone = client.post(url, data={**one, "site_id": "999999"})
    assert gone.status_code == 400 and "That site no longer exists" in gone.get_data(as_text=True)
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(Measurement)).all() == []


def test_readings_by_site_roll_up_on_the_scorecard_and_league_table(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    north, south = _sites(app, wid, "North Hotel", "South Hotel")
    metric_id = _metric(app, wid, "count")
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.get_one(Metric, metric_id).rollup is Rollup.SUM
        db.session.add(
            Goal(
                metric_id=metric_id,
                baseline=100.0,
                baseline_date=DAY1,
                target=200.0,
                target_date=date.today() + timedelta(days=90),
            )
        )
        for site, first, second in ((north, 50.0, 90.0), (south, 40.0, 45.0)):
            metric_service.record_measurement(db.session, metric_id, DAY1, first, "", site_id=site)
            metric_service.record_measurement(db.session, metric_id, DAY2, second, "", site_id=site)
        db.session.commit()
        [card] = [c for c in scorecards.cards(db.session, date.today()) if c.metric.id == metric_id]
        assert [m.value for m in card.series] == [90.0, 135.0]
        assert card.latest == 135.0
        assert card.status is not None and card.status.progress == pytest.approx(0.35)
        # An organisation-level reading on a day wins over the sites' sum.
        metric_service.record_measurement(db.session, metric_id, DAY2, 150.0, "")
        db.session.commit()
        [card] = [c for c in scorecards.cards(db.session, date.today()) if c.metric.id == metric_id]
        assert card.latest == 150.0
        # The same site twice on one day, or the organisation twice, is refused.
        with pytest.raises(metric_service.ServiceError, match="already recorded"):
            metric_service.record_measurement(db.session, metric_id, DAY2, 1.0, "", site_id=north)
        with pytest.raises(metric_service.ServiceError, match="already recorded"):
            metric_service.record_measurement(db.session, metric_id, DAY2, 1.0, "")
        db.session.rollback()
    login(client, team["executive"])
    page = client.get(f"/workspaces/{wid}/metrics/{metric_id}").get_data(as_text=True)
    assert "By site" in page and "sum of the sites" in page
    north_at, south_at = page.index("North Hotel</a>"), page.index("South Hotel</a>")
    assert north_at < south_at  # higher is better: 90 ranks above 45
    assert "data:image/svg+xml" in page and "One small chart per site" in page
    assert "-55%" in page  # South: 45 against a baseline of 100 and a target of 200
    scorecard = client.get(f"/workspaces/{wid}/metrics/").get_data(as_text=True)
    assert ">150<" in scorecard


def test_weighted_mean_names_the_sites_left_out(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    north, south = _sites(app, wid, "North Hotel", "South Hotel")
    guests = _metric(app, wid, "count")
    login(client, team["analyst"])
    with app.app_context():
        scope_session(db.session, wid)
        with pytest.raises(metric_service.ServiceError, match="volume metric"):
            metric_service.create_metric(
                db.session,
                {
                    "name": "Score",
                    "unit": "score",
                    "direction": "higher",
                    "rollup": "weighted_mean",
                },
            )
        db.session.rollback()
        score = metric_service.create_metric(
            db.session,
            {
                "name": "Score",
                "unit": "score",
                "direction": "higher",
                "rollup": "weighted_mean",
                "rollup_weight_metric_id": guests,
            },
        ).id
        for site, value in ((north, 80.0), (south, 40.0)):
            metric_service.record_measurement(db.session, score, DAY1, value, "", site_id=site)
        metric_service.record_measurement(db.session, guests, DAY1, 300.0, "", site_id=north)
        metric_service.record_measurement(db.session, score, DAY2, 60.0, "", site_id=north)
        metric_service.record_measurement(db.session, score, DAY2, 30.0, "", site_id=south)
        metric_service.record_measurement(db.session, guests, DAY2, 100.0, "", site_id=north)
        metric_service.record_measurement(db.session, guests, DAY2, 300.0, "", site_id=south)
        db.session.commit()
        [card] = [c for c in scorecards.cards(db.session, date.today()) if c.metric.id == score]
        assert [m.value for m in card.series] == [80.0, pytest.approx((60 * 100 + 30 * 300) / 400)]
    page = client.get(f"/workspaces/{wid}/metrics/{score}").get_data(as_text=True)
    assert "1 site reading left out of the weighted mean" in page
    assert "South Hotel</span>: no reading of the volume metric on that day" in page


def test_the_metric_form_sets_the_rule_and_refuses_a_garbled_volume_metric(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    guests = _metric(app, wid, "count")
    login(client, team["analyst"])
    form = {
        "name": "Satisfaction",
        "definition": "",
        "unit": "score",
        "direction": "higher",
        "min_value": "",
        "max_value": "",
        "frequency": "monthly",
        "owner": "",
        "department": "",
        "new_department": "",
        "rollup": "weighted_mean",
        "rollup_weight_metric_id": str(guests),
    }
    created = client.post(f"/workspaces/{wid}/metrics/new", data=form)
    assert created.status_code == 303, created.get_data(as_text=True)[:3000]
    garbled = client.post(
        f"/workspaces/{wid}/metrics/new", data={**form, "rollup_weight_metric_id": "=1+1"}
    )
    assert garbled.status_code == 400
    assert "volume metric was not recognised" in garbled.get_data(as_text=True)
    unknown_rule = client.post(f"/workspaces/{wid}/metrics/new", data={**form, "rollup": "median"})
    assert unknown_rule.status_code == 400
    with app.app_context():
        scope_session(db.session, wid)
        row = db.session.scalars(select(Metric).where(Metric.name == "Satisfaction")).one()
        assert (row.rollup, row.rollup_weight_metric_id) == (Rollup.WEIGHTED_MEAN, guests)


def test_a_csv_with_a_site_column_imports_all_or_nothing(
    app: Flask, client: FlaskClient, team: dict
) -> None:
    wid = team["workspace_id"]
    north, _south = _sites(app, wid, "North Hotel", "South Hotel")
    metric_id = _metric(app, wid)
    login(client, team["analyst"])
    url = f"/workspaces/{wid}/metrics/{metric_id}/measurements"
    good = (
        "date,value,site,note\n"
        f"{DAY1},60,north hotel,first\n"
        f"{DAY1},50,SOUTH HOTEL,\n"
        f"{DAY1},55,,whole organisation\n"
        f"{DAY2},65,North Hotel,\n"
    )
    bad = (
        good + f'{DAY2},70,Atlantis,\n{DAY2},=HYPERLINK("x"),South Hotel,\n{DAY1},61,North Hotel,\n'
    )
    refused = client.post(
        url,
        data={"mode": "paste", "text": "", "upload": (io.BytesIO(bad.encode()), "r.csv")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Line 6: no site is called “Atlantis”" in text
    assert "Line 7: “=HYPERLINK(&#34;x&#34;)” looks like a spreadsheet formula" in text or (
        "Line 7:" in text and "spreadsheet" in text
    )
    assert "Line 8: " in text and "already appears on line 2 for the same site" in text
    with app.app_context():
        scope_session(db.session, wid)
        assert db.session.scalars(select(Measurement)).all() == []
    saved = client.post(url, data={"mode": "paste", "text": good})
    assert saved.status_code == 303, saved.get_data(as_text=True)[:3000]
    with app.app_context():
        scope_session(db.session, wid)
        rows = db.session.scalars(select(Measurement)).all()
        assert sorted((m.site_id or 0, m.value) for m in rows) == sorted(
            [(north, 60.0), (north, 65.0), (_south, 50.0), (0, 55.0)]
        )
    # The same readings again are refused: each site already has that day.
    again = client.post(url, data={"mode": "paste", "text": good})
    assert again.status_code == 400 and "already recorded" in again.get_data(as_text=True)


def test_the_database_keeps_one_reading_a_day_per_site_and_for_the_organisation(
    app: Flask, team: dict
) -> None:
    wid = team["workspace_id"]
    [site] = _sites(app, wid, "North Hotel")
    metric_id = _metric(app, wid)
    with app.app_context():
        scope_session(db.session, wid)
        db.session.add_all(
            [
                Measurement(metric_id=metric_id, measured_on=DAY1, value=1.0, site_id=site),
                Measurement(metric_id=metric_id, measured_on=DAY1, value=2.0),
            ]
        )
        db.session.commit()
        for site_id in (None, site):
            db.session.add(
                Measurement(metric_id=metric_id, measured_on=DAY1, value=3.0, site_id=site_id)
            )
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()
