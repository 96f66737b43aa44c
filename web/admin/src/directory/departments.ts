// The flat department list (parents before children) as a tree, and look-ups on it.
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
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** The root department: the one without a parent (id 1 in practice). */
export function rootOf(departments: readonly Department[]): Department | undefined {
  return departments.find((d) => !d.parentid) ?? departments[0]
}

/** The ids from the root down to `id`, inclusive (empty when unknown). */
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
