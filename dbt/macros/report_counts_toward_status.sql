{#-
  Whether a progress report moves its task's status (the rule, documented in int_task_responsibility):
  a lead's report does; a co-operating body's never does; on a task whose document names no specific lead,
  any report but a named co-operating body's does.
  responsibility: the reporter's int_task_responsibility.responsibility (lead, co, or null when the
  reporter is not named on the task); task_has_lead: whether the task has a named lead.
-#}
{% macro report_counts_toward_status(responsibility, task_has_lead) -%}
    (({{ task_has_lead }} and {{ responsibility }} = 'lead')
     or (not {{ task_has_lead }} and coalesce({{ responsibility }}, 'other') <> 'co'))
{%- endmacro %}

{#- What the reports print where a task's document names no specific lead (instead of NULL). -#}
{% macro no_lead_named() -%}
    '未明确牵头单位 (no lead named in the document)'
{%- endmacro %}
