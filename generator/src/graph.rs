//! Strongly connected components, for the cycle questions of the type graph
//! (which fields need a `Box`, which aliases only refer to themselves). One
//! pass, without recursion, so that a spec with a chain of thousands of
//! references neither takes quadratic time nor overflows the stack.

/// The component of every node of a graph with nodes `0..n` and the edges
/// `edges(node)`: two nodes share a component when each reaches the other.
/// Component numbers are arbitrary but deterministic.
pub fn components(n: usize, edges: impl Fn(usize) -> Vec<usize>) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: a node and its remaining edges.
        let mut frames: Vec<(usize, std::vec::IntoIter<usize>)> = Vec::new();
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        frames.push((root, edges(root).into_iter()));
        while let Some((node, rest)) = frames.last_mut() {
            let node = *node;
            if let Some(next) = rest.next() {
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, edges(next).into_iter()));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some((parent, _)) = frames.last() {
                low[*parent] = low[*parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(usize, usize)], n: usize) -> Vec<usize> {
        components(n, |node| {
            edges
                .iter()
                .filter(|(from, _)| *from == node)
                .map(|(_, to)| *to)
                .collect()
        })
    }

    #[test]
    fn cycles_share_a_component_and_chains_do_not() {
        let c = graph(&[(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)], 5);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[2] && c[4] != c[3]);
    }

    #[test]
    fn a_long_chain_needs_no_recursion() {
        let n = 200_000;
        let c = components(n, |node| {
            if node + 1 < n {
                vec![node + 1]
            } else {
                vec![0]
            }
        });
        assert!(c.iter().all(|&x| x == c[0]));
        let c = components(n, |node| if node + 1 < n { vec![node + 1] } else { vec![] });
        let distinct: std::collections::BTreeSet<_> = c.into_iter().collect();
        assert_eq!(distinct.len(), n);
    }
}
