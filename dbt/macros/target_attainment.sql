{#-
  Whether an observed value meets a target. Comparators: >=, <=, >, <, between (inclusive),
  approx (within a relative tolerance, var approx_tolerance, default 5%), and = (a count to reach:
  met when the value reaches it in the indicator's direction — 达到10家 is met by 12).
-#}
{% macro target_is_met(comparator, observed, value, value_high, direction) -%}
    case {{ comparator }}
        when '>=' then {{ observed }} >= {{ value }}
        when '>' then {{ observed }} > {{ value }}
        when '<=' then {{ observed }} <= {{ value }}
        when '<' then {{ observed }} < {{ value }}
        when 'between' then {{ observed }} >= {{ value }} and {{ observed }} <= {{ value_high }}
        when 'approx' then abs({{ observed }} - {{ value }}) <= {{ var('approx_tolerance') }} * abs({{ value }})
        when '=' then
            case when {{ direction }} = 'lower_is_better' then {{ observed }} <= {{ value }}
                 else {{ observed }} >= {{ value }} end
    end
{%- endmacro %}

{#-
  How far an observed value is from meeting its target: 0 when met, positive towards the target (the
  amount to rise for >= > = between-below, to fall for <= < = lower_is_better between-above, the distance
  for approx), null without an observation. ``met`` is the expression of target_is_met for the same row.
-#}
{% macro target_gap(comparator, observed, value, value_high, direction, met) -%}
    case
        when {{ observed }} is null then null
        when {{ met }} then 0
        when {{ comparator }} in ('<=', '<') or ({{ comparator }} = '=' and {{ direction }} = 'lower_is_better') then {{ observed }} - {{ value }}
        when {{ comparator }} = 'between' and {{ observed }} > {{ value_high }} then {{ observed }} - {{ value_high }}
        when {{ comparator }} = 'approx' then abs({{ observed }} - {{ value }})
        else {{ value }} - {{ observed }}
    end
{%- endmacro %}
