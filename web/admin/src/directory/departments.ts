// The flat department list (parents before children) as a tree, and look-ups on it. The list
// need not hold the whole directory: a scoped administrator gets only the departments of their
// scope, and a department whose parent is not in the list is a top of the tree (there may be
// several), whatever its parentid.
import type { Department } from '../api/admin'

export interface DepartmentNode extends Department {
  children: DepartmentNode[]
}

export function buildTree(departments: readonly Department[]): DepartmentNode[] {
  const byId = new Map<number, DepartmentNode>()
  for (const d of departments) byId.set(d.id, { ...d, children: [] })
  const roots: DepartmentNode[] = []
  for (const d of departments) {
    const node = byId.get(d.id)!
    const parent = d.parentid ? byId.get(d.parentid) : undefined
    if (parent && parent !== node && !isAncestor(byId, node, parent)) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** Whether `node` is above `other` already (a cycle in bad data must not hide both). */
function isAncestor(byId: Map<number, DepartmentNode>, node: DepartmentNode, other: DepartmentNode): boolean {
  const seen = new Set<number>()
  for (let p: DepartmentNode | undefined = other; p && !seen.has(p.id); p = p.parentid ? byId.get(p.parentid) : undefined) {
    if (p === node) return true
    seen.add(p.id)
  }
  return false
}

/** The tops of the tree: the departments whose parent is not in the list, in list order. */
export function topsOf(departments: readonly Department[]): Department[] {
  const ids = new Set(departments.map((d) => d.id))
  return departments.filter((d) => !d.parentid || !ids.has(d.parentid) || d.parentid === d.id)
}

/** The first top department: the root (id 1) for a super admin, else the scope's first top. */
export function rootOf(departments: readonly Department[]): Department | undefined {
  return topsOf(departments)[0] ?? departments[0]
}

/** The ids from the top of the tree down to `id`, inclusive (empty when unknown). */
export function ancestry(departments: readonly Department[], id: number): number[] {
  const byId = new Map(departments.map((d) => [d.id, d]))
  const path: number[] = []
  let current = byId.get(id)
  while (current && !path.includes(current.id)) {
    path.unshift(current.id)
    current = current.parentid ? byId.get(current.parentid) : undefined
  }
  return path
}
