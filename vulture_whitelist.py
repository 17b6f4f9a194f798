"""Names vulture reports as unused that are used, where vulture cannot see it.

Run: vulture workbench vulture_whitelist.py --min-confidence 60 (it should print nothing).
Routes, hooks, error handlers, CLI commands and Alembic revisions are left out by
[tool.vulture] in pyproject.toml. Everything here is used by something outside the Python
of workbench/: a Jinja template, a library calling a hook or reading a setting, the
database schema, or the tests and benchmarks. A name that
turns out to be truly dead belongs deleted, not listed here.
"""

# ruff: noqa: B018  (each line names an attribute so that vulture counts it as used)

from types import SimpleNamespace

_ = SimpleNamespace()

# --- Read by Jinja templates and report templates (plain values handed to them) ---------
_.applies  # alignment/overview.html, principles.html, plan/initiative_edit.html
_.by_status  # alignment/overview.html
_.break_even_customers  # metrics/economics.html
_.state_label  # operating/training.html
_.citation
_.disagreements  # assessment/overview.html, instruments/results.html
_.named_respondents  # InstrumentResult: questionnaires/index.html, questionnaires/results.html
_.initiatives_without_principles  # alignment/overview.html
_.load_formula  # alignment/overview.html, reports/storyboard.html
_.help  # Question.help: instruments/answer.html
_.warnings  # metrics/detail.html
_.stored_text  # ConflictRow: errors/conflict.html
_.theirs_values  # ConflictRow: errors/conflict.html
_.balance_uri  # assessment/overview.html
_.decision_gap  # ApproachSection: reports/storyboard.html
_.chart_uri  # ApproachView: alignment/overview.html
_.pays_off_when  # ApproachGuidance: alignment/overview.html
_.written_at  # OutboxEntry: outbox/index.html, outbox/message.html
_.radar_uri
_.factor_count  # reports/storyboard.html
_.timeline_uri  # alignment/roadmap.html
_.unlinked_objectives  # plan/initiative_edit.html
_.needs_approval  # operating/playbook.html
_.phase_number  # workshop/_state.html, _presenter.html
_.phase_title
_.can_manage  # base.html, workshop/index.html
_.overall_percent  # base.html
_.inviter_name  # InviteView: members/join.html

# --- The storyboard's report values: read by reports/storyboard.html, and all of them part
# of the stored context whose JSON is the fingerprint and the source of "what changed" ---
_.discussion
_.worst_label
_.without_metrics
_.without_goals
_.gaps
_.compensation
_.scenarios
_.status_label
_.break_even_rate
_.last_change
_.opportunity  # FrictionRow: the journey table
_.capabilities  # AssessmentSection: FCR capability and TQM maturity
_.prevention  # ScenarioRow: the playbook
_.paradox
_.front_line  # ReportContext: the success stories and training plans
_.undecided
_.open_points  # OperatingSection: gathered by the decisions page
_.figure  # Citation.figure: metrics/economics.html
_.kept_against_none  # EconomicsView: metrics/economics.html
# Economics (report_values_economics): read by reports/storyboard.html, the summary page
_.current_rate
_.current_rate_source
_.current_rate_measured
_.target_rate
_.revenue_retained

# --- Database schema: mapped columns and relationships (written or read by SQL) --------
_.created_by_id
_.deleted_by_id  # feed_hold: who deleted the feed's reading (audited; label beside it)
_.instrument_version
_.memberships
_.used_count
_.entity_id
_.old_value
_.new_value
_.finished_at
_.audience
_.example
_.published_at
_.page_count
_.opened
_.hint
_.closed_at
_.placed_at
_.STRONG  # Contribution members, stored and parsed by value
_.MODERATE
_.WEAK
_.FINANCIAL  # Perspective and InitiativeStatus members: stored by value
_.INTERNAL_PROCESS
_.APPROVED
_.IN_PROGRESS
_.DONE
_.impl  # UtcDateTime(TypeDecorator): the SQLAlchemy type-decorator protocol
_.cache_ok
_.process_bind_param
_.process_result_value

# --- Hooks and settings that libraries call or read -------------------------------------
_.get_id  # Flask-Login UserMixin
_.login_view  # Flask-Login LoginManager settings
_.login_message
_.login_message_category
_.session_protection
_.permanent  # flask.session.permanent
_.max_content_length  # flask.Request.max_content_length (the API's own body limit)
_.nav_factory  # flask.g attributes read with g.get(...)
_.workspace_role
_.api_department_names  # flask.g attribute read with g.get(...) (web/api/departments.py)
_._login_user  # flask_login's per-request user cache on g
_.pre_validate  # WTForms field hook
_.Meta  # WTForms form options, merged into the form's meta (web/forms.py FlaskForm)
_.regex  # the API's id converter: werkzeug's BaseConverter protocol
_.part_isolating
_.to_python
_.to_url
_.validate_compensation_amount  # WTForms inline validators, found by name
_.validate_escalation_limit
_.validate_end_date
_.widget  # WTForms field widgets
_.option_widget
_.isolation_level  # sqlite3 connection setting (autocommit; our begin hook issues BEGIN)
_.regex  # werkzeug.routing.BaseConverter: the URL converter of web/api/core.py
_.part_isolating
_.to_python
_.to_url
_.__getattr__  # workbench/__init__.py: Python calls it for `from workbench import create_app`
_.compress_type  # zipfile.ZipInfo
_.number_format  # openpyxl cells, sheets and validations
_.data_type
_.quotePrefix
_.font
_.sheet_state
_.freeze_panes
_.errorTitle
_.pubsub_thread  # rq's worker joins its command listener through this attribute

# --- Public API of the pure modules, used by the tests and bench/ only ------------------
_.answered_questions  # analysis.aggregation
_.total_questions
_.dense  # analysis.alignment
_.remaining  # analysis.alignment_budget
_.component
_.chains_for
_.dangling
_.dropped_initiatives
_.objective_coverage
_.principle_coverage
_.cost_per_customer_retained  # analysis.economics
_.slope_per_30_days  # analysis.forecast
_.projected_progress
_.parse_instrument  # analysis.instruments: the single-document entry point
_.letter_passed  # analysis.smart
_.add_member_by_email  # services.workspaces: tests' fixtures and bench/load.py add members
_.wait_idle  # services.mail_queue: tests wait for the background sender with it
_.code_bits  # analysis.workshop: the chance a join code carries, asserted by the tests
_.objective_count  # exchange.stratml_parse: bench/exchange_xml.py
_.REGISTERS  # models.catalogue: every register, walked by tests/integration/test_field_catalogue
_.formula  # analysis.method_notes: printed by the storyboard's appendix
_.explanation
_.more_text  # analysis.report_diff: the compare page and the appendix
_.plot  # charts.svg.Svg: the frame the chart tests hold every shape to
_.label_box  # charts.svg: where the chart tests find each label's extent
# services.report_board and report_values: fields the storyboard template reads
_.owner_named
_.new_budget
_.new_count
_.committed_budget
_.committed_count
_.delivered_count
_.first_start
_.last_end
_.undated_count
_.dropped_count
_.undated_budget
_.ask
_.perspective_written_by_team
_.dropped_spend
_.heading
_.as_of
_.old_label  # services.voting.RankingChange: the vote panel's preview reads them
_.new_label
_.recovery_rate  # analysis.business_case: the yearly table and the tracking read them
_.customers_kept
_.payback_years
_.investment_after_horizon
_.first_day
_.last_reading
_.tracking
_.ramp_from_goal
_.compensation_scenarios
_.compensation_other_currency
_.churn_unrecovered_low  # the business case's ranges: stored, exported and read by name
_.churn_unrecovered_high
_.churn_recovered_low
_.churn_recovered_high
_.complaint_rate_low
_.complaint_rate_high
_.customer_lifetime_value_low
_.customer_lifetime_value_high
_.scenario_npvs  # services.report_values_economics.BusinessCaseSummary: the storyboard template reads them
_.assumptions
_.timeline  # services.roadmap: the storyboard's roadmap chart and the roadmap page read them
_.partly_undated
_.on_chain
_.finish_by
_.not_started
_.other
_.MITIGATING  # RiskStatus members: stored by value, chosen in forms, files and the API
_.ACCEPTED
_.start_slip  # read by the initiative page
_.end_slip  # read by the initiative page
_.health_label  # services.report_values.InitiativeRow: the storyboard template reads it
_.forecast_risk  # read by the storyboard template
_.session_interface  # web.session_cookie: Flask reads the app's session interface
_.should_set_cookie  # Flask's session interface hook, called when a response is finished
_.raw_data  # WTForms reads a field's raw data when it draws the field
_.topic  # analysis.evidence: the evidence macro (templates/macros.html) reads them
_.claim
_.escalate_when
_.stop_when
_.protect_staff
_.toughest_title  # services.report_values_operating.OperatingSection: the storyboard reads it
_.slow_target  # the playbook pages and the storyboard read a scenario's slow-target note
_.message_used  # Drill: written by the result form, the exchange files and the API; read back there
_.remedy_given  # Drill: as message_used
_.held_on  # report_values_operating.DrillRow: the storyboard template unpacks it
_.STATION  # SiteKind members: stored by value, chosen in forms, files and the API
_.BRANCH
_.REGION
_.best_value  # services.report_values.SiteExtremes: the storyboard template reads them
_.worst_value
_.rule_label  # services.site_views.MetricSites: the metric page reads them
_.weight_metric
_.rolled_days
_.stale_notes  # the metric page reads each stale site's note
_.metric_due  # ReminderPreference and its form: one field per reminder kind, read by getattr
_.metric_overdue
_.goal_status
_.initiative_late
_.due_now  # services.schedule.SourceView: the schedule page reads them
_.last_tick
_.last_holder
_.stop_ticker  # services.schedule_runner: tests stop the scheduler thread they start

# --- The storyboard deck: settings written to python-pptx objects (read by PowerPoint) -----
_.language  # core properties
_.keywords
_.comments
_.last_modified_by
_.tick_label_position  # chart axes
_.number_format_is_linked
_.minimum_scale
_.maximum_scale
_.slide_width  # presentation size
_.slide_height
_.word_wrap  # text frames
_.include_in_layout  # chart legend
_.slide_count  # StoryboardSnapshot: storyboard/index.html
_.needed_in  # Overflow: tests/integration/test_storyboard_deck.py
_.height_in
_.overflows  # deck_fit: tests/integration/test_storyboard_deck.py
_.handle_starttag  # analysis.rich_text._Scan: html.parser.HTMLParser calls its handlers
_.handle_endtag
_.handle_data
_.handle_comment
_.logo_sha256  # Branding: set through apply_versioned_edit by name; the history shows it
_.logo_uri  # services.branding: the settings page and the storyboard template read them
_.logo_alt
