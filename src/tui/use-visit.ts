import { useCallback, useEffect, useRef, useState } from 'react';
import type { Visit } from './controller.js';
import { update, type Msg, type VisitState } from './state.js';

/**
 * Adapts the controller to React: its messages (pipeline events included) go through `update`,
 * and the effects `update` asks for go back to the controller. `quit` is the UI's own business.
 */
export const useVisit = (visit: Visit, initial: VisitState, quit: () => void): readonly [VisitState, (m: Msg) => void] => {
  const [state, setState] = useState(initial);
  // Messages can arrive faster than React renders; each must see the state the previous one left.
  const current = useRef(initial);
  const dispatch = useCallback(
    (m: Msg) => {
      const [next, effects] = update(current.current, m);
      current.current = next;
      setState(next);
      for (const e of effects) void visit.run(e).then(() => (e.type === 'quit' ? quit() : undefined));
    },
    [visit, quit],
  );
  useEffect(() => {
    const unsubscribe = visit.subscribe(dispatch);
    visit.open();
    return unsubscribe;
  }, [visit, dispatch]);
  return [state, dispatch];
};
