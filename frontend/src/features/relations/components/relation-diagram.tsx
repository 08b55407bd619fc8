import { useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Collection } from '@/lib/schema-meta';
import { cn } from '@/lib/utils';
import type { Relation } from '../types';

const NODE_W = 216;
const HEADER_H = 46;
const ROW_H = 22;
const GAP_X = 210;
const GAP_Y = 110;
const PAD = 70;

interface Point {
  x: number;
  y: number;
}

interface Box extends Point {
  w: number;
  h: number;
}

function nodeHeight(rows: number) {
  return HEADER_H + Math.max(rows, 1) * ROW_H + 12;
}

/** A simple grid: collections with more relations first, so the busy ones sit in the middle rows. */
function gridLayout(collections: Collection[], rowsOf: (id: string) => number) {
  const cols = Math.max(1, Math.ceil(Math.sqrt(collections.length)));
  const positions: Record<string, Point> = {};
  const rowHeights: number[] = [];
  collections.forEach((c, i) => {
    const r = Math.floor(i / cols);
    rowHeights[r] = Math.max(rowHeights[r] ?? 0, nodeHeight(rowsOf(c.id)));
  });
  collections.forEach((c, i) => {
    const r = Math.floor(i / cols);
    const col = i % cols;
    const y = rowHeights.slice(0, r).reduce((sum, h) => sum + h + GAP_Y, 0);
    positions[c.id] = { x: col * (NODE_W + GAP_X) + (r % 2 ? 40 : 0), y };
  });
  return positions;
}

/** Where the segment from the box centre towards `toward` leaves the box. */
function borderPoint(box: Box, toward: Point): Point {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const dx = toward.x - cx;
  const dy = toward.y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const t = Math.min(
    dx === 0 ? Infinity : box.w / 2 / Math.abs(dx),
    dy === 0 ? Infinity : box.h / 2 / Math.abs(dy),
  );
  return { x: cx + dx * t, y: cy + dy * t };
}

interface EdgeGeometry {
  path: string;
  label: Point;
}

function edgeGeometry(from: Box, to: Box, offset: number): EdgeGeometry {
  const a = { x: from.x + from.w / 2, y: from.y + from.h / 2 };
  const b = { x: to.x + to.w / 2, y: to.y + to.h / 2 };
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const control = {
    x: (a.x + b.x) / 2 - (dy / len) * offset,
    y: (a.y + b.y) / 2 + (dx / len) * offset,
  };
  const s = borderPoint(from, control);
  const e = borderPoint(to, control);
  return {
    path: `M ${s.x} ${s.y} Q ${control.x} ${control.y} ${e.x} ${e.y}`,
    label: {
      x: 0.25 * s.x + 0.5 * control.x + 0.25 * e.x,
      y: 0.25 * s.y + 0.5 * control.y + 0.25 * e.y,
    },
  };
}

function loopGeometry(box: Box, index: number): EdgeGeometry {
  const size = 46 + index * 24;
  const sx = box.x + box.w - 36;
  const sy = box.y;
  const ex = box.x + box.w;
  const ey = box.y + 30;
  return {
    path: `M ${sx} ${sy} C ${sx} ${sy - size * 1.4} ${ex + size * 1.4} ${ey} ${ex} ${ey}`,
    label: { x: ex + size * 0.55, y: sy - size * 0.7 },
  };
}

interface RelationDiagramProps {
  collections: Collection[];
  relations: Relation[];
  highlighted?: string;
  onSelectRelation?: (r: Relation) => void;
}

export function RelationDiagram({
  collections,
  relations,
  highlighted,
  onSelectRelation,
}: RelationDiagramProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const outgoing = useMemo(() => {
    const map = new Map<string, Relation[]>();
    for (const r of relations) map.set(r.collection_id, [...(map.get(r.collection_id) ?? []), r]);
    return map;
  }, [relations]);
  const ordered = useMemo(() => {
    const degree = (id: string) =>
      relations.filter((r) => r.collection_id === id || r.relation_target_collection_id === id)
        .length;
    return [...collections].sort(
      (a, b) => degree(b.id) - degree(a.id) || a.name.localeCompare(b.name),
    );
  }, [collections, relations]);
  const initial = useMemo(
    () => gridLayout(ordered, (id) => outgoing.get(id)?.length ?? 0),
    [ordered, outgoing],
  );
  const [moved, setMoved] = useState<Record<string, Point>>({});
  const drag = useRef<{ id: string; dx: number; dy: number } | null>(null);

  const boxes: Record<string, Box> = {};
  for (const c of ordered) {
    const p = moved[c.id] ?? initial[c.id] ?? { x: 0, y: 0 };
    boxes[c.id] = { ...p, w: NODE_W, h: nodeHeight(outgoing.get(c.id)?.length ?? 0) };
  }

  const all = Object.values(boxes);
  const minX = Math.min(0, ...all.map((b) => b.x)) - PAD;
  const minY = Math.min(0, ...all.map((b) => b.y)) - PAD;
  const maxX = Math.max(NODE_W, ...all.map((b) => b.x + b.w)) + PAD + 60;
  const maxY = Math.max(100, ...all.map((b) => b.y + b.h)) + PAD;

  // Parallel edges between the same pair of collections bend apart.
  const pairCount = new Map<string, number>();
  const pairIndex = new Map<string, number>();
  const pairKey = (r: Relation) =>
    [r.collection_id, r.relation_target_collection_id].sort().join('|');
  for (const r of relations) pairCount.set(pairKey(r), (pairCount.get(pairKey(r)) ?? 0) + 1);

  function toSvg(e: PointerEvent): Point {
    const matrix = svgRef.current?.getScreenCTM()?.inverse();
    if (!matrix) return { x: e.clientX, y: e.clientY };
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(matrix);
    return { x: p.x, y: p.y };
  }

  function onPointerDown(e: PointerEvent<SVGGElement>, id: string) {
    const box = boxes[id];
    if (!box) return;
    const p = toSvg(e);
    drag.current = { id, dx: p.x - box.x, dy: p.y - box.y };
    e.currentTarget.setPointerCapture(e.pointerId);
  }

  function onPointerMove(e: PointerEvent<SVGGElement>) {
    const d = drag.current;
    if (!d) return;
    const p = toSvg(e);
    setMoved((m) => ({ ...m, [d.id]: { x: Math.round(p.x - d.dx), y: Math.round(p.y - d.dy) } }));
  }

  function onKeyDown(e: KeyboardEvent<SVGGElement>, id: string) {
    const step = e.shiftKey ? 60 : 20;
    const delta: Record<string, Point> = {
      ArrowLeft: { x: -step, y: 0 },
      ArrowRight: { x: step, y: 0 },
      ArrowUp: { x: 0, y: -step },
      ArrowDown: { x: 0, y: step },
    };
    const d = delta[e.key];
    const box = boxes[id];
    if (!d || !box) return;
    e.preventDefault();
    setMoved((m) => ({ ...m, [id]: { x: box.x + d.x, y: box.y + d.y } }));
  }

  const selfIndex = new Map<string, number>();

  return (
    <div className="relative">
      <svg
        ref={svgRef}
        role="img"
        aria-label="Relationship diagram"
        data-testid="relation-diagram"
        viewBox={`${minX} ${minY} ${maxX - minX} ${maxY - minY}`}
        className="block h-auto max-h-[640px] min-h-[320px] w-full touch-none select-none"
        preserveAspectRatio="xMidYMid meet"
      >
        <defs>
          <pattern id="rel-grid" width="24" height="24" patternUnits="userSpaceOnUse">
            <circle cx="1" cy="1" r="1" className="fill-border" />
          </pattern>
          <marker
            id="rel-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="fill-primary" />
          </marker>
          <marker
            id="rel-arrow-muted"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="fill-muted-foreground" />
          </marker>
        </defs>
        <rect x={minX} y={minY} width={maxX - minX} height={maxY - minY} fill="url(#rel-grid)" />

        {ordered.map((c) => {
          const box = boxes[c.id];
          if (!box) return null;
          const rows = outgoing.get(c.id) ?? [];
          const dim = highlighted !== undefined && highlighted !== c.name;
          return (
            <g
              key={c.id}
              transform={`translate(${box.x} ${box.y})`}
              data-testid="relation-node"
              data-collection={c.name}
              tabIndex={0}
              role="group"
              aria-label={`${c.display_name} (${c.name}); drag or use arrow keys to move`}
              className={cn(
                'cursor-grab outline-none active:cursor-grabbing [&:focus-visible>rect:first-of-type]:stroke-ring',
                dim && 'opacity-60',
              )}
              onPointerDown={(e) => onPointerDown(e, c.id)}
              onPointerMove={onPointerMove}
              onPointerUp={() => (drag.current = null)}
              onKeyDown={(e) => onKeyDown(e, c.id)}
            >
              <rect
                width={box.w}
                height={box.h}
                rx={10}
                className={cn(
                  'fill-card',
                  highlighted === c.name ? 'stroke-primary' : 'stroke-border',
                )}
                strokeWidth={highlighted === c.name ? 2 : 1.25}
                filter="drop-shadow(0 1px 2px rgb(0 0 0 / 0.08))"
              />
              <path
                d={`M 0 10 a 10 10 0 0 1 10 -10 h ${box.w - 20} a 10 10 0 0 1 10 10 v ${HEADER_H - 10} h ${-box.w} z`}
                className={c.is_system ? 'fill-muted' : 'fill-accent'}
              />
              <line x1={0} x2={box.w} y1={HEADER_H} y2={HEADER_H} className="stroke-border" />
              <text x={14} y={20} className="fill-foreground text-[13px] font-semibold">
                {c.display_name}
              </text>
              <text x={14} y={36} className="fill-muted-foreground font-mono text-[11px]">
                {c.name}
                {c.is_system ? ' · system' : ''}
              </text>
              <text
                x={box.w - 12}
                y={20}
                textAnchor="end"
                className="fill-muted-foreground text-[11px]"
              >
                {c.field_count} {c.field_count === 1 ? 'field' : 'fields'}
              </text>
              {rows.length === 0 ? (
                <text x={14} y={HEADER_H + 16} className="fill-muted-foreground text-[11px] italic">
                  no outgoing relations
                </text>
              ) : (
                rows.map((r, i) => (
                  <text
                    key={r.id}
                    x={14}
                    y={HEADER_H + 16 + i * ROW_H}
                    className="fill-foreground font-mono text-[11px]"
                  >
                    {r.sql_column_name ?? r.name}
                    <tspan className="fill-muted-foreground">
                      {r.relation_type === 'many_to_many' ? ' ⇄ ' : ' → '}
                      {r.target_collection_name}
                    </tspan>
                  </text>
                ))
              )}
            </g>
          );
        })}
        {relations.map((r) => {
          const from = boxes[r.collection_id];
          const to = boxes[r.relation_target_collection_id];
          if (!from || !to) return null;
          let geo: EdgeGeometry;
          if (r.collection_id === r.relation_target_collection_id) {
            const i = selfIndex.get(r.collection_id) ?? 0;
            selfIndex.set(r.collection_id, i + 1);
            geo = loopGeometry(from, i);
          } else {
            const key = pairKey(r);
            const i = pairIndex.get(key) ?? 0;
            pairIndex.set(key, i + 1);
            const n = pairCount.get(key) ?? 1;
            const sign = r.collection_id < r.relation_target_collection_id ? 1 : -1;
            geo = edgeGeometry(from, to, (i - (n - 1) / 2) * 56 * sign);
          }
          const active =
            !highlighted ||
            r.collection_name === highlighted ||
            r.target_collection_name === highlighted;
          const label = `${r.name} · ${r.relation_type}`;
          const labelW = label.length * 6.4 + 16;
          const marker = active ? 'url(#rel-arrow)' : 'url(#rel-arrow-muted)';
          return (
            <g
              key={r.id}
              data-testid="relation-edge"
              data-relation={`${r.collection_name}.${r.name}`}
              data-relation-type={r.relation_type}
              className={cn('cursor-pointer', !active && 'opacity-35')}
              onClick={() => onSelectRelation?.(r)}
            >
              <title>
                {`${r.collection_name}.${r.name} → ${r.target_collection_name} (${r.relation_type}, on delete ${r.relation_on_delete})`}
              </title>
              <path d={geo.path} fill="none" stroke="transparent" strokeWidth={14} />
              <path
                d={geo.path}
                fill="none"
                className={active ? 'stroke-primary' : 'stroke-muted-foreground'}
                strokeWidth={1.75}
                strokeDasharray={r.relation_type === 'many_to_many' ? '6 4' : undefined}
                markerEnd={marker}
                markerStart={r.relation_type === 'many_to_many' ? marker : undefined}
              />
              <g transform={`translate(${geo.label.x - labelW / 2} ${geo.label.y - 11})`}>
                <rect
                  width={labelW}
                  height={22}
                  rx={11}
                  className="fill-card stroke-border"
                  strokeWidth={1}
                />
                <text
                  x={labelW / 2}
                  y={15}
                  textAnchor="middle"
                  className="fill-foreground font-mono text-[11px]"
                >
                  <tspan className="font-semibold">{r.name}</tspan>
                  <tspan className="fill-muted-foreground"> · {r.relation_type}</tspan>
                </text>
              </g>
            </g>
          );
        })}
      </svg>
      <div className="pointer-events-none absolute bottom-3 left-3 flex flex-wrap items-center gap-3 rounded-md border border-border bg-card/90 px-3 py-1.5 text-[11px] text-muted-foreground shadow-xs backdrop-blur">
        <span className="flex items-center gap-1.5">
          <svg width="26" height="8" aria-hidden="true">
            <line x1="0" x2="26" y1="4" y2="4" className="stroke-primary" strokeWidth="1.75" />
          </svg>
          many to one
        </span>
        <span className="flex items-center gap-1.5">
          <svg width="26" height="8" aria-hidden="true">
            <line
              x1="0"
              x2="26"
              y1="4"
              y2="4"
              className="stroke-primary"
              strokeWidth="1.75"
              strokeDasharray="6 4"
            />
          </svg>
          many to many
        </span>
        <span>Drag collections to rearrange</span>
      </div>
      {Object.keys(moved).length > 0 && (
        <button
          type="button"
          onClick={() => setMoved({})}
          className="absolute right-3 bottom-3 cursor-pointer rounded-md border border-border bg-card px-2.5 py-1 text-xs font-medium text-muted-foreground shadow-xs hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
        >
          Reset layout
        </button>
      )}
    </div>
  );
}
