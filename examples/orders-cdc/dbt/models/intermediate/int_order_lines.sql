{{ config(materialized='incremental', incremental_strategy='merge', unique_key=['order_item_id']) }}

select
    i.order_item_id, i.order_id, i.sku, i.quantity, i.unit_price,
    i.quantity * i.unit_price as line_total,
    greatest(i.updated_at, o.updated_at) as updated_at,
    i.is_deleted or o.is_deleted as is_deleted
from {{ ref('stg_order_items') }} as i
join {{ ref('stg_orders') }} as o using (order_id)
