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
