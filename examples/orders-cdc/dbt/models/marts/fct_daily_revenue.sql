{{ config(materialized='incremental', incremental_strategy='insert_overwrite') }}

select
    ordered_at::date as revenue_date,
    currency,
    sum(order_total) as revenue,
    count(*) as orders,
    max(last_updated_at) as updated_at
from {{ ref('fct_orders') }}
where not is_deleted
{% if is_incremental() %}
  and ordered_at >= current_date - interval 3 day
{% endif %}
group by all
