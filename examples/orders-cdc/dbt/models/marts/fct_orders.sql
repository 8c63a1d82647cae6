{{ config(
    materialized='incremental', incremental_strategy='merge', unique_key=['order_id'],
    on_schema_change='append_new_columns'
) }}

select
    o.order_id::decimal(38, 0) as order_id,
    o.customer_id::decimal(38, 0) as customer_id,
    o.status::varchar as order_status,
    o.total_amount::decimal(12, 2) as order_total,
    count(l.order_item_id)::int as item_count,
    o.currency::varchar(3) as currency,
    o.created_at::timestamp as ordered_at,
    greatest(o.updated_at, max(l.updated_at))::timestamp as last_updated_at,
    o.is_deleted as is_deleted
from {{ ref('stg_orders') }} as o
left join {{ ref('int_order_lines') }} as l using (order_id)
group by all
