/** EXPLAIN (FORMAT JSON) plan nodes, as the plan-shape tests read them. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** A plan node and all the nodes below it. */
export const flattenPlan = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flattenPlan)];

/** The nodes that read `table`. */
export const scansOf = (nodes: PlanNode[], table: string) => nodes.filter((n) => n['Relation Name'] === table);
