"""The checks' messages in Spanish: ``ES`` maps each English template of ``_t`` to its Spanish template.

``nnlib.check._feedback._t(template, **values)`` looks its English template up here when the language is Spanish
(``check.language("es")``, or the environment variable ``NNLIB_LANG=es``), then fills it with ``str.format``. A
Spanish template has the same ``{placeholders}`` as its English one (and writes a literal brace as ``{{`` or
``}}``); an English template without an entry here would be shown in English. tests/check/test_language.py checks
that every template in nnlib/check has an entry, that every entry is used, and that their placeholders agree.

The Spanish is formal (usted), kind, and uses the slides' terms ("5. Redes Neuronales Multicapa"): factor de
aprendizaje, umbral, nodo, capa, retropropagación del error, error en el nodo (δ), cálculo hacia adelante/atrás,
bloque (mini-batch), normalización a nivel de minibatch, paso del filtro, relleno a ceros, núcleo. Code, formulas
and names (numpy calls, ``def`` lines, variables such as theta_new) stay as they are.
"""

ES = {
    # _feedback.py: the shared plumbing: the message frame, calls of the student's code, kinds of values, arrays
    "✔ Correct! {detail}":
        "✔ ¡Correcto! {detail}",
    "{got} (the same to the digits shown: the difference is smaller than they show)":
        "{got} (igual con las cifras mostradas: la diferencia es menor de lo que muestran)",
    "✘ Not quite.\n  Expected: {expected}\n  Got:      {got}\n  Hint:     {hint}":
        "✘ Todavía no.\n  Esperado: {expected}\n  Obtenido: {got}\n  Pista:    {hint}",
    "✘ Not answered yet: {name} still raises NotImplementedError. Replace the `raise NotImplementedError(...)` "
    "line with your answer, run that cell, then run this check again.":
        "✘ Aún sin responder: {name} todavía lanza NotImplementedError. Sustituya la línea `raise "
        "NotImplementedError(...)` por su respuesta, ejecute esa celda y vuelva a ejecutar esta comprobación.",
    "{fname}() was called with arguments that its `def` line does not take: the error is in the line `def "
    "{fname}(...)` or in the call, not in the function's body. Make them agree: as many arguments as parameters, "
    "in the same order (the exercise's text names them).":
        "Se ha llamado a {fname}() con argumentos que su línea `def` no admite: el error está en la línea `def "
        "{fname}(...)` o en la llamada, no en el cuerpo de la función. Hágalos coincidir: tantos argumentos como "
        "parámetros, en el mismo orden (el enunciado del ejercicio los nombra).",
    "`if` (or `and`/`or`) on a numpy array is ambiguous: choose elementwise with np.where(condition, "
    "value_if_true, value_if_false).":
        "`if` (o `and`/`or`) sobre un array de numpy es ambiguo: elija elemento a elemento con np.where(condition, "
        "value_if_true, value_if_false).",
    "A `math.` function got an array: use the numpy one instead (np.exp, np.tanh, np.abs).":
        "Una función de `math.` ha recibido un array: use en su lugar la de numpy (np.exp, np.tanh, np.abs).",
    "Your function must accept this keyword argument ({argument}).":
        "Su función debe aceptar este argumento con nombre ({argument}).",
    "A name is not defined: run the cells above first (imports, earlier steps), then this one.":
        "Hay un nombre sin definir: ejecute primero las celdas anteriores (importaciones, pasos previos) y después "
        "esta.",
    "Fix the line of your code that raises this error, run that cell again, then this check.":
        "Corrija la línea de su código que lanza este error, vuelva a ejecutar esa celda y después esta "
        "comprobación.",
    "yours do not fit":
        "los suyos no encajan",
    "yours are {signature}":
        "los suyos son {signature}",
    "The error is in the `def` line, not in the body: the parameters of {fname} do not fit the arguments the check "
    "gives it. Give {fname} the parameters the exercise names, in that order.":
        "El error está en la línea `def`, no en el cuerpo: los parámetros de {fname} no encajan con los argumentos "
        "que le pasa la comprobación. Dé a {fname} los parámetros que nombra el ejercicio, en ese orden.",
    "{n} positional argument":
        "{n} argumento posicional",
    "{n} positional arguments":
        "{n} argumentos posicionales",
    "the keyword argument {names}":
        "el argumento con nombre {names}",
    "the keyword arguments {names}":
        "los argumentos con nombre {names}",
    "{positional} and {keywords}":
        "{positional} y {keywords}",
    "The error is in the `def` line, not in the body: the check calls {fname} with {given}, and {yours}. Give "
    "{fname} the parameters the exercise names, in that order.":
        "El error está en la línea `def`, no en el cuerpo: la comprobación llama a {fname} con {given}, mientras "
        "que {yours}. Dé a {fname} los parámetros que nombra el ejercicio, en ese orden.",
    "The error is in the `def` line, not in the body: the check calls {fname}() with no arguments, so {fname} "
    "takes no parameters ({yours}). Write the line as `def {fname}():`.":
        "El error está en la línea `def`, no en el cuerpo: la comprobación llama a {fname}() sin argumentos, así "
        "que {fname} no recibe parámetros ({yours}). Escriba la línea como `def {fname}():`.",
    "The error is in the `def` line, not in the body: the check calls {fname}({wanted}), so the function's "
    "parameters must be ({wanted}), in this order; {yours}. Write the line as `def {fname}({wanted}):`.":
        "El error está en la línea `def`, no en el cuerpo: la comprobación llama a {fname}({wanted}), así que los "
        "parámetros de la función deben ser ({wanted}), en este orden; {yours}. Escriba la línea como `def "
        "{fname}({wanted}):`.",
    "an error from your code: {error}: {text}":
        "un error de su código: {error}: {text}",
    "an answer the check can read":
        "una respuesta que la comprobación pueda leer",
    "something it could not use ({error}: {text})":
        "algo que no ha podido usar ({error}: {text})",
    "Give the kind of value the exercise asks for (see the text above the cell).":
        "Dé el tipo de valor que pide el ejercicio (vea el texto sobre la celda).",
    "No check has run yet: run the cells above, from the top.":
        "Todavía no se ha ejecutado ninguna comprobación: ejecute las celdas anteriores, desde el principio.",
    "{done} of {total} checks correct so far. Still to do: {pending}.":
        "{done} de {total} comprobaciones correctas hasta ahora. Quedan por hacer: {pending}.",
    "✔ All {done} checks correct. Well done!":
        "✔ Todas las comprobaciones ({done}) son correctas. ¡Muy bien!",
    "Did your function `return` its result? A function without `return` gives None.":
        "¿Devuelve su función su resultado con `return`? Una función sin `return` devuelve None.",
    "the text {value!r}":
        "el texto {value!r}",
    "Give {what}, not a string (no quotes around it).":
        "Dé {what}, no una cadena de texto (sin comillas alrededor).",
    "`==` compares two things and gives True/False; give {what} itself.":
        "`==` compara dos cosas y da True/False; dé {what} en sí.",
    "several items":
        "varios elementos",
    "{n} item":
        "{n} elemento",
    "{n} items":
        "{n} elementos",
    "a {kind}":
        "un objeto {kind}",
    " at [{index}]":
        " en [{index}]",
    " (differs by {diff:+.2g}{at})":
        " (difiere en {diff:+.2g}{at})",
    "a number":
        "un número",
    "a number for {name}":
        "un número para {name}",
    "one number for {name}":
        "un solo número para {name}",
    "a {kind} with {items}: {value!r}":
        "un objeto {kind} con {items}: {value!r}",
    "Give a single number. sp.solve returns a list: pick the element, e.g. [0].":
        "Dé un solo número. sp.solve devuelve una lista: tome el elemento, p. ej. [0].",
    "Give a number (e.g. 0.5 or sp.Rational(1, 2)).":
        "Dé un número (p. ej. 0.5 o sp.Rational(1, 2)).",
    "an expression in {symbols}: {expr}":
        "una expresión en {symbols}: {expr}",
    "Substitute a value for {symbols} (e.g. expr.subs(z, 1)) to get a number.":
        "Sustituya {symbols} por un valor (p. ej. expr.subs(z, 1)) para obtener un número.",
    "Give a real number.":
        "Dé un número real.",
    "a real, finite number for {name}":
        "un número real y finito para {name}",
    "Give a real, finite number.":
        "Dé un número real y finito.",
    "The shapes in a product do not fit: A @ B needs as many columns in A as B has rows. Print each array's .shape "
    "and write down the shape of every product before you compute it.":
        "Las formas de un producto no encajan: A @ B necesita tantas columnas en A como filas tiene B. Imprima el "
        ".shape de cada array y anote la forma de cada producto antes de calcularlo.",
    "θ^l has one row per node of layer l and M_{{l-1}} + 1 columns: column 0 holds the thresholds θ_i0 (they "
    "multiply s_0 = 1), columns 1.. the weights from the nodes of layer l-1.":
        "θ^l tiene una fila por nodo de la capa l y M_{{l-1}} + 1 columnas: la columna 0 contiene los umbrales "
        "θ_i0 (multiplican a s_0 = 1), las columnas 1.. los pesos desde los nodos de la capa l-1.",
    "an array of numbers for {name}":
        "un array de números para {name}",
    "a numpy array of numbers":
        "un array de numpy de números",
    "a {kind} that is not an array of real numbers":
        "un objeto {kind} que no es un array de números reales",
    "Return a numpy array of numbers (np.array, or the result of @ and numpy functions); a SymPy expression with "
    "symbols in it is not a number.":
        "Devuelva un array de numpy de números (np.array, o el resultado de @ y de funciones de numpy); una "
        "expresión de SymPy con símbolos dentro no es un número.",
    "Your result is transposed: its rows and columns are swapped (a .T too many or too few).":
        "Su resultado está traspuesto: sus filas y columnas están intercambiadas (un .T de más o de menos).",
    "The numbers are right, in an array of the wrong shape: give shape {shape} (np.ravel turns a column or a row "
    "into a 1-D array).":
        "Los números son correctos, pero en un array de forma equivocada: dé la forma {shape} (np.ravel convierte "
        "una columna o una fila en un array 1-D).",
    "{name}: an array of shape {shape}":
        "{name}: un array de forma {shape}",
    "an array of shape {shape}":
        "un array de forma {shape}",
    "Write down the shape of every array you multiply and of the result.":
        "Anote la forma de cada array que multiplica y la del resultado.",
    "finite numbers in {name}":
        "números finitos en {name}",
    "{value} at {name}{index}":
        "{value} en {name}{index}",
    "NaN or inf usually comes from a division by 0 or an overflow in exp.":
        "NaN o inf suele venir de una división por 0 o de un desbordamiento numérico en exp.",
    "all {size} entries of {name} match":
        "los {size} elementos de {name} coinciden",
    "{name} = {value}  (first difference at {where})":
        "{name} = {value}  (primera diferencia en {where})",
    "Your values have the wrong sign: look for a sign error.":
        "Sus valores tienen el signo cambiado: busque un error de signo.",
    "Every entry of {name} is 0: nothing was computed or added there. Check that your code fills {name} (a loop "
    "that never reaches it, a result not returned or not stored).":
        "Todos los elementos de {name} son 0: no se ha calculado ni sumado nada ahí. Compruebe que su código "
        "rellena {name} (un bucle que nunca llega, un resultado que no se devuelve o no se guarda).",
    "Your values are {factor} times the right ones: look for a missing or extra constant factor.":
        "Sus valores son {factor} veces los correctos: busque un factor constante que falta o que sobra.",
    "Compute {where} by hand, term by term, and compare.":
        "Calcule {where} a mano, término a término, y compare.",

    # answers.py: answers of any chapter: formulas, numbers, a maximum, a derivative, an array, a function, a choice
    "a SymPy expression":
        "una expresión de SymPy",
    "an equation ({value})":
        "una ecuación ({value})",
    "Give only the right-hand side: the expression itself (for an equation eq, eq.rhs).":
        "Dé solo el lado derecho: la expresión en sí (para una ecuación eq, eq.rhs).",
    "one expression for {name}":
        "una sola expresión para {name}",
    "Give a single expression. sp.solve returns a list: pick the element you need, e.g. [0].":
        "Dé una sola expresión. sp.solve devuelve una lista: tome el elemento que necesite, p. ej. [0].",
    "a numpy array of shape {shape}":
        "un array de numpy de forma {shape}",
    "Build the expression with SymPy (sp.exp, sp.Symbol), not numpy.":
        "Construya la expresión con SymPy (sp.exp, sp.Symbol), no con numpy.",
    "Build it from SymPy symbols and functions, e.g. 1 / (1 + sp.exp(-z)).":
        "Constrúyala con símbolos y funciones de SymPy, p. ej. 1 / (1 + sp.exp(-z)).",
    "a comparison ({expr})":
        "una comparación ({expr})",
    "Give {what} itself, not a comparison.":
        "Dé {what} en sí, no una comparación.",
    "Give {what} such as 1 / (1 + sp.exp(-z)).":
        "Dé {what} como 1 / (1 + sp.exp(-z)).",
    "an expression in {allowed} only":
        "una expresión solo en {allowed}",
    "an expression that also contains {names}: {expr}":
        "una expresión que también contiene {names}: {expr}",
    "Rewrite it so that only {allowed} appears (substitute the others).":
        "Reescríbala de modo que solo aparezca {allowed} (sustituya las demás).",
    "no real number at {at}":
        "ningún número real en {at}",
    "{value} at {at}":
        "{value} en {at}",
    "Your answer is the negative of the right one: look for a sign error.":
        "Su respuesta es la opuesta de la correcta: busque un error de signo.",
    "Your answer is 0: build the expression itself (and return it).":
        "Su respuesta es 0: construya la expresión en sí (y devuélvala).",
    "Your answer is {factor} times the right one: look for a missing or extra constant factor.":
        "Su respuesta es {factor} veces la correcta: busque un factor constante que falta o que sobra.",
    "Your answer differs from the right one by the constant {offset}.":
        "Su respuesta difiere de la correcta en la constante {offset}.",
    "Compare your expression with the formula on the slide, one factor at a time.":
        "Compare su expresión con la fórmula de la diapositiva, factor a factor.",
    "your answer":
        "su respuesta",
    "{name} = {expr} is equal to the expected expression for every {symbols}.":
        "{name} = {expr} es igual a la expresión esperada para todo {symbols}.",
    "another expression":
        "otra expresión",
    "{expr}, which SymPy cannot prove equal":
        "{expr}, que SymPy no puede demostrar igual",
    "{expected}  (e.g. {example})":
        "{expected}  (p. ej. {example})",
    "{value}, from {name} = {expr}":
        "{value}, de {name} = {expr}",
    "Your value has the wrong sign.":
        "Su valor tiene el signo cambiado.",
    "Work it out again step by step; SymPy can do each step exactly.":
        "Vuelva a calcularlo paso a paso; SymPy puede hacer cada paso de forma exacta.",
    "{n} value(s)":
        "{n} valor(es)",
    "a {kind} with {items}":
        "un objeto {kind} con {items}",
    "a single {kind}":
        "un único objeto {kind}",
    "{n} values: ({names})":
        "{n} valores: ({names})",
    "Return the {n} values together, as a tuple ({names}).":
        "Devuelva los {n} valores juntos, como una tupla ({names}).",
    "{names} and {name}":
        "{names} y {name}",
    ", where the function is {value}; it is larger at {better} ({better_value})":
        ", donde la función vale {value}; es mayor en {better} ({better_value})",
    "the {point} that makes {value} largest":
        "el {point} que hace máximo {value}",
    "At a maximum the derivative is 0: solve f'(z) = 0.":
        "En un máximo la derivada es 0: resuelva f'(z) = 0.",
    "Evaluate the function at your {point} (e.g. with .subs).":
        "Evalúe la función en su {point} (p. ej. con .subs).",
    "{point} = {at} and {value} = {largest} is the largest value.":
        "{point} = {at} y {value} = {largest} es el valor máximo.",
    "{name}(z) that leaves z unchanged":
        "{name}(z) sin modificar z",
    "a function that changed its input array z":
        "una función que ha modificado su array de entrada z",
    "Compute into a new array (e.g. with np.where) instead of assigning into z[...].":
        "Calcule en un array nuevo (p. ej. con np.where) en lugar de asignar en z[...].",
    "a numpy array":
        "un array de numpy",
    "a {kind} that is not an array of numbers":
        "un objeto {kind} que no es un array de números",
    "Return a numpy array of numbers computed from z.":
        "Devuelva un array de numpy de números calculados a partir de z.",
    "These are the values of g itself, not of its derivative g'.":
        "Son los valores de la propia g, no de su derivada g'.",
    "Your values are right for the default {names}, not for the given one: use {names} in the formula.":
        "Sus valores son correctos para {names} por defecto, no para el valor dado: use {names} en la fórmula.",
    "Your function returns 0 everywhere: compute g'(z) from z (and return it).":
        "Su función devuelve 0 en todas partes: calcule g'(z) a partir de z (y devuélvala).",
    "Your values differ from the right ones by the constant {offset}.":
        "Sus valores difieren de los correctos en la constante {offset}.",
    "Compare your formula with the slide's, term by term, at the point shown.":
        "Compare su fórmula con la de la diapositiva, término a término, en el punto indicado.",
    "{name}(z) for an array z of {n} points":
        "{name}(z) para un array z de {n} puntos",
    "an array of shape {shape} (the shape of z)":
        "un array de forma {shape} (la forma de z)",
    "shape {shape}":
        "forma {shape}",
    "Apply the formula elementwise with numpy (np.tanh, np.abs, np.where); not math.*, not a loop, no sums or "
    "reshapes.":
        "Aplique la fórmula elemento a elemento con numpy (np.tanh, np.abs, np.where); sin math.*, sin bucles, sin "
        "sumas ni cambios de forma.",
    " (numpy warned: {warnings})":
        " (numpy avisó: {warnings})",
    "At z = 0 your formula divides 0 by 0 (e.g. g(z) / z). Use a form of the derivative that is defined at z = 0.":
        "En z = 0 su fórmula divide 0 entre 0 (p. ej. g(z) / z). Use una forma de la derivada que esté definida en "
        "z = 0.",
    "NaN or inf usually comes from an overflow in exp or a division by 0: use a stable form.":
        "NaN o inf suele venir de un desbordamiento numérico en exp o de una división por 0: use una forma estable.",
    "{value} at z = {z}":
        "{value} en z = {z}",
    "{name}(z) for z of shape (3, 4)":
        "{name}(z) para z de forma (3, 4)",
    "an array of shape (3, 4) for z of shape (3, 4)":
        "un array de forma (3, 4) para z de forma (3, 4)",
    "Your result is transposed: drop the .T and return the result in the shape of z.":
        "Su resultado está traspuesto: quite el .T y devuelva el resultado con la forma de z.",
    "Work elementwise: the result must have the shape of z.":
        "Trabaje elemento a elemento: el resultado debe tener la forma de z.",
    "{name}({z}) = {value} for z of shape (3, 4)":
        "{name}({z}) = {value} para z de forma (3, 4)",
    "Don't flatten, sort or mix rows: work elementwise.":
        "No aplane, ordene ni mezcle filas: trabaje elemento a elemento.",
    "{name}(0.5), a single number":
        "{name}(0.5), un solo número",
    "{name}(0.5) = {value}, a single number":
        "{name}(0.5) = {value}, un solo número",
    "A single number in should give a single number out (numpy functions do this).":
        "Un solo número a la entrada debe dar un solo número a la salida (las funciones de numpy lo hacen así).",
    " At the kink z = {kinks} any finite value is accepted.":
        " En el punto anguloso z = {kinks} se acepta cualquier valor finito.",
    " Note: numpy warned: {warnings}.":
        " Nota: numpy avisó: {warnings}.",
    "{name} matches nnlib and central differences at {n} points, for arrays of any shape.{skipped}{note}":
        "{name} coincide con nnlib y con las diferencias centradas en {n} puntos, para arrays de cualquier "
        "forma.{skipped}{note}",
    "your array":
        "su array",
    "your function":
        "su función",
    "the function {name}":
        "la función {name}",
    "the function {name} itself":
        "la propia función {name}",
    "{answer!r}, a value, not a function":
        "{answer!r}, un valor, no una función",
    "Give the function's name, {name}, without parentheses: the check calls it.":
        "Dé el nombre de la función, {name}, sin paréntesis: la comprobación la llama.",
    "{name} is right for all {n} cases: {shown}.":
        "{name} es correcta en los {n} casos: {shown}.",
    "Work out this case by hand, term by term, and compare with your code.":
        "Calcule este caso a mano, término a término, y compárelo con su código.",
    "your prediction":
        "su predicción",
    "one of {listed}":
        "uno de {listed}",
    "a name in quotes":
        "un nombre entre comillas",
    "the number {value!r}":
        "el número {value!r}",
    "a {kind}: {value!r}":
        "un objeto {kind}: {value!r}",
    "Return one of the names, as a string in quotes, e.g. {option!r}.":
        "Devuelva uno de los nombres, como cadena de texto entre comillas, p. ej. {option!r}.",
    "Return one of these names exactly (in quotes).":
        "Devuelva exactamente uno de estos nombres (entre comillas).",
    "Compare your reasoning with the measurement.":
        "Compare su razonamiento con la medida.",

    # mlp.py: the multilayer perceptron: one layer, a classifier, the collapse of linear layers
    "These are the pre-activations φ_i = Σ_j θ_ij s'_j: apply the activation, s_i = g(φ_i).":
        "Son las preactivaciones φ_i = Σ_j θ_ij s'_j: aplique la función de activación, s_i = g(φ_i).",
    "g is applied twice: the layer's output is g(φ), with g applied once.":
        "g se aplica dos veces: la salida de la capa es g(φ), con g aplicada una sola vez.",
    "The thresholds are missing: the sum starts at j = 0 with s'_0 = 1, which adds θ_i0 (column 0 of θ).":
        "Faltan los umbrales: la suma empieza en j = 0 con s'_0 = 1, lo que añade θ_i0 (la columna 0 de θ).",
    "The threshold enters with a + sign: φ_i = θ_i0 · 1 + Σ_j θ_ij s'_j.":
        "El umbral entra con signo +: φ_i = θ_i0 · 1 + Σ_j θ_ij s'_j.",
    "The thresholds are column 0 of θ (they multiply s'_0 = 1, which comes first), not the last column.":
        "Los umbrales son la columna 0 de θ (multiplican a s'_0 = 1, que va primero), no la última columna.",
    "You used θ where θᵀ is needed: φ_i = Σ_j θ_ij s'_j runs along row i of θ (θ_ij is the weight from node j of "
    "the layer before to node i of this one).":
        "Ha usado θ donde hace falta θᵀ: φ_i = Σ_j θ_ij s'_j recorre la fila i de θ (θ_ij es el peso del nodo j de "
        "la capa anterior al nodo i de esta).",
    "These are values of g', the derivative; the forward pass applies g itself.":
        "Son valores de g', la derivada; el cálculo hacia adelante aplica la propia g.",
    "θ has shape {shape}: one row per node of this layer, and one column more than the layer before has nodes "
    "({nodes}). Column 0 holds the thresholds θ_i0, which multiply s'_0 = 1: put a 1 in front of the previous "
    "layer's output before you multiply.":
        "θ tiene forma {shape}: una fila por nodo de esta capa, y una columna más que nodos tiene la capa anterior "
        "({nodes}). La columna 0 contiene los umbrales θ_i0, que multiplican a s'_0 = 1: ponga un 1 delante de la "
        "salida de la capa anterior antes de multiplicar.",
    "your network":
        "su red",
    "the sign of the output = t at all {n} points":
        "el signo de la salida = t en los {n} puntos",
    "the outputs of {name}":
        "las salidas de {name}",
    "one output per point: shape ({n},) or ({n}, 1)":
        "una salida por punto: forma ({n},) o ({n}, 1)",
    "The network must have a single output node (M_L = 1).":
        "La red debe tener un único nodo de salida (M_L = 1).",
    "{name} classifies all {n} points right: {shown}.":
        "{name} clasifica bien los {n} puntos: {shown}.",
    "{right} of {n} right; wrong at x = {points}. At x = {x} the output is {output}, the target {target:+d}":
        "{right} de {n} bien; mal en x = {points}. En x = {x} la salida es {output}, la etiqueta {target:+d}",
    "At x = {x} the output is 0 (nnlib's g_E(0) = sgn(0) = 0): the point lies on the boundary, in neither class. "
    "Move a threshold so that no φ is exactly 0 there.":
        "En x = {x} la salida es 0 (en nnlib g_E(0) = sgn(0) = 0): el punto está en la frontera de decisión, en "
        "ninguna clase. Mueva un umbral para que ningún φ sea exactamente 0 ahí.",
    "Every point is on the wrong side: your network computes the opposite function. Flip the sign of every weight "
    "of the output layer, its threshold included.":
        "Todos los puntos están en el lado equivocado: su red calcula la función opuesta. Cambie el signo de todos "
        "los pesos de la capa de salida, umbral incluido.",
    "Follow x = {x} through the network by hand ({trace}).":
        "Siga x = {x} a través de la red a mano ({trace}).",
    "Follow x = {x} through the network by hand.":
        "Siga x = {x} a través de la red a mano.",
    "Which node's sign is not what you planned?":
        "¿Qué nodo tiene un signo distinto del que había previsto?",
    "Your Θ lost the output layer's thresholds θ²_i0: they multiply s¹_0 = 1, a constant that layer 1 does not "
    "compute. Put the row [1, 0, …, 0] on top of θ¹, so that [1, s¹] = θ̃¹ x̃.":
        "Su Θ ha perdido los umbrales de la capa de salida θ²_i0: multiplican a s¹_0 = 1, una constante que la "
        "capa 1 no calcula. Ponga la fila [1, 0, …, 0] encima de θ¹, de modo que [1, s¹] = θ̃¹ x̃.",
    "The product is in the wrong order: x goes through layer 1 first, so the factor made from θ¹ stands on the "
    "right, next to x̃ (a product of matrices acts from right to left).":
        "El producto está en el orden equivocado: x pasa primero por la capa 1, así que el factor construido con "
        "θ¹ va a la derecha, junto a x̃ (un producto de matrices actúa de derecha a izquierda).",
    "The row [1, 0, …, 0] goes on top of θ¹: s¹_0 = 1 is entry 0 of [1, s¹], as x_0 = 1 is entry 0 of x̃.":
        "La fila [1, 0, …, 0] va encima de θ¹: s¹_0 = 1 es el elemento 0 de [1, s¹], igual que x_0 = 1 es el "
        "elemento 0 de x̃.",
    "The weights (columns 1..M_0) are right; column 0, the thresholds Θ_i0, is not. Which constants reach the "
    "output when x = 0?":
        "Los pesos (columnas 1..M_0) son correctos; la columna 0, los umbrales Θ_i0, no. ¿Qué constantes llegan a "
        "la salida cuando x = 0?",
    "θ² has shape {shape2} and θ¹ {shape1}: θ² has one column more than θ¹ has rows, for s¹_0 = 1. Add the row "
    "that turns θ¹ x̃ into [1, s¹] before you multiply.":
        "θ² tiene forma {shape2} y θ¹ {shape1}: θ² tiene una columna más que filas tiene θ¹, para s¹_0 = 1. Añada "
        "la fila que convierte θ¹ x̃ en [1, s¹] antes de multiplicar.",

    # backprop.py: BackProp (retropropagación del error): δ^L, δ^l, one whole step
    "Check the shapes (print .shape). Backwards, δ^{{l+1}} (N × M_{{l+1}}) @ θ^{{l+1}}[:, 1:] (M_{{l+1}} × M_l) "
    "gives N × M_l, the shape of φ^l: column 0 of θ (the thresholds) stays out of the sum. Δθ^l = (ρ/N) δ^lᵀ [1, "
    "s^{{l-1}}] has the shape of θ^l, (M_l, M_{{l-1}} + 1): put the column of ones (s_0 = 1) in front of s^{{l-1}}.":
        "Compruebe las formas (imprima .shape). Hacia atrás, δ^{{l+1}} (N × M_{{l+1}}) @ θ^{{l+1}}[:, 1:] "
        "(M_{{l+1}} × M_l) da N × M_l, la forma de φ^l: la columna 0 de θ (los umbrales) queda fuera de la suma. "
        "Δθ^l = (ρ/N) δ^lᵀ [1, s^{{l-1}}] tiene la forma de θ^l, (M_l, M_{{l-1}} + 1): ponga la columna de unos "
        "(s_0 = 1) delante de s^{{l-1}}.",
    "Mind the sign: δ = −∂q/∂φ and Δθ = −ρ ∂q_S/∂θ = +(ρ/N) Σ_n δ s, so the step is θ^l += Δθ^l (downhill).":
        "Cuidado con el signo: δ = −∂q/∂φ y Δθ = −ρ ∂q_S/∂θ = +(ρ/N) Σ_n δ s, así que el paso es θ^l += Δθ^l "
        "(cuesta abajo).",
    "Mind the sign: δ is defined with a minus, δ^L_i = −∂q_n/∂φ^L_i, so it starts with (t_i − s_i), not (s_i − "
    "t_i).":
        "Cuidado con el signo: el error en el nodo δ se define con un menos, δ^L_i = −∂q_n/∂φ^L_i, así que empieza "
        "por (t_i − s_i), no por (s_i − t_i).",
    "The factor g'(φ) is missing: δ^L_i = (t_i − s_i) g'(φ^L_i) and δ^l_i = g'(φ^l_i) Σ_r δ^{{l+1}}_r θ^{{l+1}}_ri.":
        "Falta el factor g'(φ): δ^L_i = (t_i − s_i) g'(φ^L_i) y δ^l_i = g'(φ^l_i) Σ_r δ^{{l+1}}_r θ^{{l+1}}_ri.",
    "g' is evaluated at the pre-activation φ, not at the output s = g(φ): g.prime(phi). (For the sigmoid, g'(φ) = "
    "s (1 − s) written with s.)":
        "g' se evalúa en la preactivación φ, no en la salida s = g(φ): g.prime(phi). (Para la sigmoide, g'(φ) = s "
        "(1 − s) escrita con s.)",
    "That factor is g(φ) = s, the activation itself: δ needs its derivative g'(φ) (g.prime).":
        "Ese factor es g(φ) = s, la propia activación: δ necesita su derivada g'(φ) (g.prime).",
    "The output is s^L = g(φ^L): apply the activation to φ^L before you compare it with t.":
        "La salida es s^L = g(φ^L): aplique la función de activación a φ^L antes de compararla con t.",
    "δ is per sample, one row for each: no division by N in δ. The average over the samples, (ρ/N) Σ_n, comes only "
    "in the increments Δθ.":
        "δ es por muestra, una fila para cada una: sin división por N en δ. La media sobre las muestras, (ρ/N) "
        "Σ_n, aparece solo en los incrementos Δθ.",
    "θ^{{l+1}}_ri is the weight from node i of layer l to node r of layer l+1: Σ_r δ^{{l+1}}_r θ^{{l+1}}_ri runs "
    "down column i of θ^{{l+1}}, i.e. δ^{{l+1}} @ θ^{{l+1}}[:, 1:]; you used θ_ir (θ transposed).":
        "θ^{{l+1}}_ri es el peso del nodo i de la capa l al nodo r de la capa l+1: Σ_r δ^{{l+1}}_r θ^{{l+1}}_ri "
        "recorre la columna i de θ^{{l+1}}, es decir, δ^{{l+1}} @ θ^{{l+1}}[:, 1:]; ha usado θ_ir (θ traspuesta).",
    "Column 0 of θ^{{l+1}} holds the thresholds θ_r0, which no node of layer l feeds: node i's weight θ_ri is "
    "column i, so the backward sum uses theta[l+1][:, 1:].":
        "La columna 0 de θ^{{l+1}} contiene los umbrales θ_r0, que no reciben nada de ningún nodo de la capa l: el "
        "peso θ_ri del nodo i es la columna i, así que la suma hacia atrás usa theta[l+1][:, 1:].",
    "φ^l_i = Σ_{{j=0}} θ_ij s_j starts at j = 0 with s_0 = 1: add the thresholds (column 0 of θ) in the forward "
    "pass.":
        "φ^l_i = Σ_{{j=0}} θ_ij s_j empieza en j = 0 con s_0 = 1: sume los umbrales (la columna 0 de θ) en el "
        "cálculo hacia adelante.",
    "The thresholds learn too: Δθ^l_i0 = (ρ/N) Σ_n δ^l_i · 1 (s_0 = 1) is column 0 of Δθ^l.":
        "Los umbrales también aprenden: Δθ^l_i0 = (ρ/N) Σ_n δ^l_i · 1 (s_0 = 1) es la columna 0 de Δθ^l.",
    "The 1 (s_0 = 1) goes first: Δθ^l = (ρ/N) δ^lᵀ [1, s^{{l-1}}], so column 0 is the threshold's increment.":
        "El 1 (s_0 = 1) va primero: Δθ^l = (ρ/N) δ^lᵀ [1, s^{{l-1}}], así que la columna 0 es el incremento del "
        "umbral.",
    "Divide by N: Δθ = (ρ/N) Σ_n δ_i(x_n) s_j(x_n) is an average over the N samples.":
        "Divida por N: Δθ = (ρ/N) Σ_n δ_i(x_n) s_j(x_n) es una media sobre las N muestras.",
    "Compute every δ with the old weights, then update: you changed θ^{{l+1}} before you used it for δ^l.":
        "Calcule todos los δ con los pesos antiguos y después actualice: ha cambiado θ^{{l+1}} antes de usarlo "
        "para δ^l.",
    "This is the squared-error δ with slide 8's softmax derivative s_i (1 − s_i), only the diagonal of the "
    "Jacobian. For cross-entropy with softmax the whole chain rule gives simply δ_i = t_i − s_i.":
        "Este es el δ del error cuadrático con la derivada de la softmax de la diapositiva 8, s_i (1 − s_i), solo "
        "la diagonal del jacobiano. Para la entropía cruzada con softmax, la regla de la cadena completa da "
        "simplemente δ_i = t_i − s_i.",
    "This is δ for squared error with a softmax output. For cross-entropy the chain rule through the softmax "
    "simplifies to δ_i = t_i − s_i (using Σ_i t_i = 1).":
        "Este es el δ del error cuadrático con una salida softmax. Para la entropía cruzada, la regla de la cadena "
        "a través de la softmax se simplifica a δ_i = t_i − s_i (usando Σ_i t_i = 1).",
    "t_i / s_i is −∂q/∂s_i; δ = −∂q/∂φ goes on through the softmax: Σ_k (t_k/s_k) ∂s_k/∂φ_i = t_i − s_i Σ_k t_k = "
    "t_i − s_i.":
        "t_i / s_i es −∂q/∂s_i; δ = −∂q/∂φ sigue a través de la softmax: Σ_k (t_k/s_k) ∂s_k/∂φ_i = t_i − s_i Σ_k "
        "t_k = t_i − s_i.",
    "The softmax normalises each sample (row) over its C outputs: sum along axis=1 (axis=-1), not down the columns "
    "or over the whole array.":
        "La softmax normaliza cada muestra (fila) sobre sus C salidas: sume a lo largo de axis=1 (axis=-1), no por "
        "columnas ni sobre todo el array.",
    "exp overflows for large φ (e.g. exp(1000) = inf, and inf/inf = NaN): subtract each row's maximum before exp "
    "(softmax(φ) = softmax(φ − max φ)), or use g(phi_L), which does it.":
        "exp se desborda para φ grandes (p. ej. exp(1000) = inf, e inf/inf = NaN): reste el máximo de cada fila "
        "antes de exp (softmax(φ) = softmax(φ − max φ)), o use g(phi_L), que ya lo hace.",
    "δ is per sample: one row for each sample, shape (N, M_L). Do not average or sum over the samples (axis 0); "
    "the average (ρ/N) Σ_n comes only in the increments Δθ.":
        "δ es por muestra: una fila para cada muestra, forma (N, M_L). No promedie ni sume sobre las muestras (eje "
        "0); la media (ρ/N) Σ_n aparece solo en los incrementos Δθ.",
    "{name}[{n}] = {value} for φ^L = {phi}":
        "{name}[{n}] = {value} para φ^L = {phi}",
    "Large |φ| makes exp overflow: use g(phi_L) and g.prime(phi_L), which are stable.":
        "Un |φ| grande hace que exp se desborde: use g(phi_L) y g.prime(phi_L), que son estables.",
    " (two with logits of ±1000)":
        " (dos con logits de ±1000)",
    "{name} matches nnlib.losses.{loss} and central differences of q_n for all {n} samples{extra}.":
        "{name} coincide con nnlib.losses.{loss} y con las diferencias centradas de q_n en las {n} muestras{extra}.",
    "{name}: {n} number(s)":
        "{name}: {n} número(s)",
    "Work out {name} node by node from the formula above, with the numbers of the forward pass.":
        "Calcule {name} nodo a nodo con la fórmula de arriba, con los números del cálculo hacia adelante.",
    "an update of net.theta":
        "una actualización de net.theta",
    "net.theta with the shapes {shapes}":
        "net.theta con las formas {shapes}",
    "shapes {shapes}":
        "formas {shapes}",
    "Add the increments to the weights in place: theta = net.theta, then theta[l] += Delta_l (or net.theta[l] = "
    "...); you returned them instead.":
        "Sume los incrementos a los pesos en el sitio: theta = net.theta, y después theta[l] += Delta_l (o "
        "net.theta[l] = ...); usted los ha devuelto en su lugar.",
    "Add the increments to the weights in place: theta = net.theta, then theta[l] += Delta_l (or net.theta[l] = "
    "...).":
        "Sume los incrementos a los pesos en el sitio: theta = net.theta, y después theta[l] += Delta_l (o "
        "net.theta[l] = ...).",
    "net.theta changed by Δθ":
        "net.theta modificado en Δθ",
    "net.theta unchanged":
        "net.theta sin cambios",
    " (the output layer)":
        " (la capa de salida)",
    "Your loop over the layers stops before layer {l}: range(1, L) leaves out L; update every layer, range(1, L + "
    "1), the output layer included. Each θ^l gets its own increment Δθ^l = (ρ/N) δ^lᵀ [1, s^{{l-1}}].":
        "Su bucle sobre las capas termina antes de la capa {l}: range(1, L) deja fuera L; actualice todas las "
        "capas, range(1, L + 1), incluida la capa de salida. Cada θ^l recibe su propio incremento Δθ^l = (ρ/N) "
        "δ^lᵀ [1, s^{{l-1}}].",
    "Update every layer, l = 1..L, layer {l} included. Each θ^l gets its own increment Δθ^l = (ρ/N) δ^lᵀ [1, "
    "s^{{l-1}}].":
        "Actualice todas las capas, l = 1..L, incluida la capa {l}. Cada θ^l recibe su propio incremento Δθ^l = "
        "(ρ/N) δ^lᵀ [1, s^{{l-1}}].",
    "θ^{l}{last} changed by Δθ^{l} = {expected}":
        "θ^{l}{last} modificado en Δθ^{l} = {expected}",
    "θ^{l}{last} changed by Δθ^{l}":
        "θ^{l}{last} modificado en Δθ^{l}",
    "θ^{l} unchanged: its update is missing (you changed {changed} only)":
        "θ^{l} sin cambios: falta su actualización (solo ha cambiado {changed})",
    "The first wrong layer, going back from the output, is layer {l}. {hint}":
        "La primera capa incorrecta, yendo hacia atrás desde la salida, es la capa {l}. {hint}",
    "Follow one sample through your code and through the slide's equations, layer by layer.":
        "Siga una muestra a través de su código y de las ecuaciones de la diapositiva, capa a capa.",
    "every Δθ^l (l = 1..{L}) matches nnlib.mlp.backprop.increments and −ρ times the central-difference gradient of "
    "q_S (gradient check: relative error {worst:.1g}).":
        "todos los Δθ^l (l = 1..{L}) coinciden con nnlib.mlp.backprop.increments y con −ρ veces el gradiente de "
        "q_S por diferencias centradas (comprobación del gradiente: error relativo {worst:.1g}).",

    # optim.py: optimizers: momentum (inercia), Adam
    "a tuple {returns}":
        "una tupla {returns}",
    "Return the {n} values together, in this order: return {returns}. The next step needs them.":
        "Devuelva los {n} valores juntos, en este orden: return {returns}. El paso siguiente los necesita.",
    "{n} of shape {shape} (as given)":
        "{n} de forma {shape} (como se le dio)",
    "{n} of shape {shape}":
        "{n} de forma {shape}",
    "Work elementwise on the arrays you are given: {n} keeps its shape.":
        "Trabaje elemento a elemento sobre los arrays que recibe: {n} conserva su forma.",
    " (to float32 precision, as your answer is float32)":
        " (con la precisión de float32, ya que su respuesta es float32)",
    " (θ(1) .. θ({k}) were right)":
        " (θ(1) .. θ({k}) eran correctos)",
    " (θ(1) was right)":
        " (θ(1) era correcto)",
    "Your first step is right and step {k} is not: what you return besides θ is the input of the next step. Return "
    "{names} as they are after this step.":
        "Su primer paso es correcto y el paso {k} no: lo que devuelve además de θ es la entrada del paso "
        "siguiente. Devuelva {names} tal como quedan tras este paso.",
    "Your θ agrees with the right one to float32 precision (about 7 digits) only, and this check expects float64 "
    "(about 16): compute in float64 throughout (no np.float32 or dtype=np.float32 on the way), or return float32 "
    "arrays to be checked to float32 precision.":
        "Su θ coincide con el correcto solo con la precisión de float32 (unas 7 cifras), y esta comprobación "
        "espera float64 (unas 16): calcule en float64 todo el tiempo (sin np.float32 ni dtype=np.float32 por el "
        "camino), o devuelva arrays float32 para que se comprueben con la precisión de float32.",
    "Write the update one line per equation, as above, and compare term by term.":
        "Escriba la actualización con una línea por ecuación, como arriba, y compare término a término.",
    "{n} after step {k}: {value}":
        "{n} tras el paso {k}: {value}",
    "{value} (θ({k}) is right)":
        "{value} (θ({k}) es correcto)",
    "{name} matches {reference} for {steps} steps{precision}: θ and {names} after every step.{note}":
        "{name} coincide con {reference} durante {steps} pasos{precision}: θ y {names} tras cada paso.{note}",
    "Mind the sign of ρ ∇q: the step goes downhill, Δθ(k) = −ρ ∇q + ν Δθ(k−1).":
        "Cuidado con el signo de ρ ∇q: el paso va cuesta abajo, Δθ(k) = −ρ ∇q + ν Δθ(k−1).",
    "ν multiplies the previous increment Δθ(k−1) (the argument Delta_prev), not the weights θ.":
        "ν multiplica al incremento anterior Δθ(k−1) (el argumento Delta_prev), no a los pesos θ.",
    "Δθ(k) is not stored: return the new increment Δθ(k), which the next step needs as Delta_prev (returning "
    "Delta_prev keeps it 0: that is plain gradient descent).":
        "No se guarda Δθ(k): devuelva el nuevo incremento Δθ(k), que el paso siguiente necesita como Delta_prev "
        "(devolver Delta_prev lo mantiene en 0: eso es el descenso por gradiente simple).",
    "Δθ(k) is not stored whole: return all of Δθ(k) = −ρ ∇q + ν Δθ(k−1), not only its gradient term −ρ ∇q.":
        "No se guarda Δθ(k) entero: devuelva todo Δθ(k) = −ρ ∇q + ν Δθ(k−1), no solo su término del gradiente −ρ "
        "∇q.",
    "θ(k) = θ(k−1) + Δθ(k): add the new increment, computed first, not the previous one Δθ(k−1).":
        "θ(k) = θ(k−1) + Δθ(k): sume el nuevo incremento, calculado primero, no el anterior Δθ(k−1).",
    "Return (theta_new, Delta) in this order: the new weights first, then the increment.":
        "Devuelva (theta_new, Delta) en este orden: primero los nuevos pesos, después el incremento.",
    "ρ multiplies only the gradient: Δθ(k) = −ρ ∇q + ν Δθ(k−1), with ν Δθ(k−1) added as it is.":
        "ρ multiplica solo al gradiente: Δθ(k) = −ρ ∇q + ν Δθ(k−1), con ν Δθ(k−1) sumado tal cual.",
    "Your θ is right, and you return the velocity v(k) = ν v(k−1) + ∇q of the other common form (θ −= ρ v). The "
    "slides' form returns the increment itself, Δθ(k) = θ(k) − θ(k−1) = −ρ v(k).":
        "Su θ es correcto, y devuelve la velocidad v(k) = ν v(k−1) + ∇q de la otra forma habitual (θ −= ρ v). La "
        "forma de las diapositivas devuelve el propio incremento, Δθ(k) = θ(k) − θ(k−1) = −ρ v(k).",
    "Return the increment of this step, Δθ(k) = θ(k) − θ(k−1), as Delta.":
        "Devuelva el incremento de este paso, Δθ(k) = θ(k) − θ(k−1), como Delta.",
    "The bias correction is missing: m and v start at 0, so early on they are too small by the factors 1 − β1^t "
    "and 1 − β2^t. Divide by them: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).":
        "Falta la corrección del sesgo: m y v empiezan en 0, así que al principio son demasiado pequeños en los "
        "factores 1 − β1^t y 1 − β2^t. Divida por ellos: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).",
    "The bias correction is missing: m and v start at 0, so early on they are too small by the factors 1 − β1^t "
    "and 1 − β2^t. Divide by them: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t). (You corrected v only.)":
        "Falta la corrección del sesgo: m y v empiezan en 0, así que al principio son demasiado pequeños en los "
        "factores 1 − β1^t y 1 − β2^t. Divida por ellos: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t). (Ha corregido "
        "solo v.)",
    "The bias correction is missing: m and v start at 0, so early on they are too small by the factors 1 − β1^t "
    "and 1 − β2^t. Divide by them: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t). (You corrected m only.)":
        "Falta la corrección del sesgo: m y v empiezan en 0, así que al principio son demasiado pequeños en los "
        "factores 1 − β1^t y 1 − β2^t. Divida por ellos: m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t). (Ha corregido "
        "solo m.)",
    "NaN at the first step: the bias correction divided by 1 − β^0 = 0. t counts the steps from 1: increase t (t = "
    "t + 1) first, then correct with β1^t and β2^t.":
        "NaN en el primer paso: la corrección del sesgo ha dividido por 1 − β^0 = 0. t cuenta los pasos desde 1: "
        "incremente primero t (t = t + 1) y después corrija con β1^t y β2^t.",
    "Return the new step count t + 1: the next step's bias correction needs it.":
        "Devuelva el nuevo contador de pasos t + 1: la corrección del sesgo del paso siguiente lo necesita.",
    "ε goes outside the square root: √v̂ + ε, not √(v̂ + ε). It only matters where the gradients are tiny, as in "
    "one entry here.":
        "ε va fuera de la raíz cuadrada: √v̂ + ε, no √(v̂ + ε). Solo importa donde los gradientes son diminutos, "
        "como en uno de los elementos de aquí.",
    "β1 and β2 are swapped: β1 (0.9) averages the gradient g in m, β2 (0.999) averages its square g² in v.":
        "β1 y β2 están intercambiados: β1 (0.9) promedia el gradiente g en m, β2 (0.999) promedia su cuadrado g² "
        "en v.",
    "Mind the sign: Adam steps downhill, θ − ρ m̂ / (√v̂ + ε).":
        "Cuidado con el signo: Adam da pasos cuesta abajo, θ − ρ m̂ / (√v̂ + ε).",
    "Divide by the square root of v̂ (an average of g²), √v̂ + ε, so that the step does not depend on the scale of "
    "the gradient.":
        "Divida por la raíz cuadrada de v̂ (una media de g²), √v̂ + ε, para que el paso no dependa de la escala "
        "del gradiente.",
    "That is the paper's faster ordering (α_t = α √(1 − β2^t) / (1 − β1^t), then α_t m / (√v + ε)), which moves ε. "
    "Write Algorithm 1 as it is: θ − ρ m̂ / (√v̂ + ε), as nnlib does.":
        "Esa es la ordenación más rápida del artículo (α_t = α √(1 − β2^t) / (1 − β1^t), y después α_t m / (√v + "
        "ε)), que desplaza ε. Escriba el Algoritmo 1 tal cual: θ − ρ m̂ / (√v̂ + ε), como hace nnlib.",
    "t counts the steps taken: after step {k} it is {k}. Return t + 1.":
        "t cuenta los pasos dados: tras el paso {k} vale {k}. Devuelva t + 1.",
    "Return {n} itself, the running average before the bias correction (not {n}̂): the next step starts from it. "
    "Check {n} and {other} are returned in the order (theta_new, m, v, t).":
        "Devuelva el propio {n}, la media móvil antes de la corrección del sesgo (no {n}̂): el paso siguiente "
        "parte de ella. Compruebe que {n} y {other} se devuelven en el orden (theta_new, m, v, t).",

    # normalization.py: batch normalization (normalización a nivel de minibatch)
    "Only the direct path: μ_B and σ²_B depend on every x_i too. Add the terms through the mean, −(1/b) Σ_j "
    "∂q/∂x̄_j, and through the variance, −x̄_i (1/b) Σ_j ∂q/∂x̄_j x̄_j, inside the bracket.":
        "Solo el camino directo: μ_B y σ²_B también dependen de cada x_i. Añada dentro del corchete los términos a "
        "través de la media, −(1/b) Σ_j ∂q/∂x̄_j, y a través de la varianza, −x̄_i (1/b) Σ_j ∂q/∂x̄_j x̄_j.",
    "The path through σ²_B is missing: subtract x̄_i (1/b) Σ_j ∂q/∂x̄_j x̄_j inside the bracket.":
        "Falta el camino a través de σ²_B: reste x̄_i (1/b) Σ_j ∂q/∂x̄_j x̄_j dentro del corchete.",
    "The path through μ_B is missing: subtract the mean over the batch, (1/b) Σ_j ∂q/∂x̄_j, inside the bracket.":
        "Falta el camino a través de μ_B: reste la media sobre el bloque, (1/b) Σ_j ∂q/∂x̄_j, dentro del corchete.",
    "You used the unbiased variance 1/(b−1) (the slide's). This forward pass divides by b (np.var's default, "
    "ddof=0), and the backward pass must differentiate the forward pass it is given.":
        "Ha usado la varianza insesgada 1/(b−1) (la de la diapositiva). Este cálculo hacia adelante divide por b "
        "(lo que hace np.var por defecto, ddof=0), y el cálculo hacia atrás debe derivar el cálculo hacia adelante "
        "que se le da.",
    "The term through σ²_B has 1/(b−1); the variance of this forward pass is the biased one, so it is 1/b.":
        "El término a través de σ²_B tiene 1/(b−1); la varianza de este cálculo hacia adelante es la sesgada, así "
        "que es 1/b.",
    "σ²_B must be the biased variance 1/b, as in the forward pass (np.var(x, axis=0), ddof=0).":
        "σ²_B debe ser la varianza sesgada 1/b, como en el cálculo hacia adelante (np.var(x, axis=0), ddof=0).",
    "γ is missing: the gradient reaching x̄ is ∂q/∂x̄ = γ ∂q/∂y. Multiply grad_y by gamma first.":
        "Falta γ: el gradiente que llega a x̄ es ∂q/∂x̄ = γ ∂q/∂y. Multiplique primero grad_y por gamma.",
    "The sums over the batch need the factor 1/b (a mean), both of them.":
        "Las sumas sobre el bloque necesitan el factor 1/b (una media), las dos.",
    "Your values have the wrong sign: grad_y is ∂q/∂y, and the result is ∂q/∂x, not −∂q/∂x.":
        "Sus valores tienen el signo cambiado: grad_y es ∂q/∂y, y el resultado es ∂q/∂x, no −∂q/∂x.",
    "Your result is transposed: give one row per sample, as x.":
        "Su resultado está traspuesto: dé una fila por muestra, como x.",
    "an array of shape {shape} (one row per sample, like x)":
        "un array de forma {shape} (una fila por muestra, como x)",
    "{name} matches nnlib's BatchNorm.backward on batches of 6 and 3 samples, all three paths included (direct, "
    "through μ_B, through σ²_B).":
        "{name} coincide con BatchNorm.backward de nnlib en bloques de 6 y de 3 muestras, con los tres caminos "
        "incluidos (directo, a través de μ_B, a través de σ²_B).",

    # regularization.py: regularization: inverted dropout, clipping by the global norm, L1
    "an array of shape {shape} for {name}":
        "un array de forma {shape} para {name}",
    "{name} has one entry per entry of the input: keep its shape (work elementwise).":
        "{name} tiene un elemento por cada elemento de la entrada: conserve su forma (trabaje elemento a elemento).",
    "inverted dropout":
        "dropout invertido",
    "a tuple (y, mask)":
        "una tupla (y, mask)",
    "Return both: `return y, mask`. backward needs the mask of this forward pass.":
        "Devuelva ambos: `return y, mask`. backward necesita la máscara de este cálculo hacia adelante.",
    "x unchanged":
        "x sin cambios",
    "x changed by your function":
        "x modificado por su función",
    "Compute a new array (y = x * mask / (1 - p)); do not change x in place (x *= ...).":
        "Calcule un array nuevo (y = x * mask / (1 - p)); no modifique x en el sitio (x *= ...).",
    "a mask of 0/1 (or False/True) entries, 1 = kept":
        "una máscara de elementos 0/1 (o False/True), 1 = conservado",
    "mask values {values}{more}":
        "valores de la máscara {values}{more}",
    "Return the 0/1 mask itself and apply the factor 1/(1 − p) to y only.":
        "Devuelva la propia máscara 0/1 y aplique el factor 1/(1 − p) solo a y.",
    "The mask says, for every entry, whether it is kept (1) or dropped (0): compare uniform random numbers with p, "
    "e.g. mask = rng.random(x.shape) >= p.":
        "La máscara indica, para cada elemento, si se conserva (1) o se descarta (0): compare números aleatorios "
        "uniformes con p, p. ej. mask = rng.random(x.shape) >= p.",
    "Your mask drops {dropped} of the entries, that is 1 − p: p is the probability of DROPPING a unit, so an entry "
    "is kept with probability 1 − p = {keep}.":
        "Su máscara descarta {dropped} de los elementos, es decir, 1 − p: p es la probabilidad de DESCARTAR una "
        "unidad, así que un elemento se conserva con probabilidad 1 − p = {keep}.",
    "Drop each entry independently with probability p: mask = rng.random(x.shape) >= p.":
        "Descarte cada elemento de forma independiente con probabilidad p: mask = rng.random(x.shape) >= p.",
    "a fraction p = {p} of the entries dropped (mask = 0)":
        "una fracción p = {p} de los elementos descartada (mask = 0)",
    "a fraction {dropped} dropped":
        "una fracción {dropped} descartada",
    "The kept entries are not scaled: inverted dropout divides by the keep probability 1 − p, y = x ⊙ m / (1 − p), "
    "so that E[y] = x and nothing changes at test time.":
        "Los elementos conservados no se escalan: el dropout invertido divide por la probabilidad de conservar 1 − "
        "p, y = x ⊙ m / (1 − p), para que E[y] = x y nada cambie en la fase de test.",
    "You multiply by 1 − p: inverted dropout DIVIDES by it, y = x ⊙ m / (1 − p) (multiplying by 1 − p is the "
    "test-time rule of the original, non-inverted dropout).":
        "Multiplica por 1 − p: el dropout invertido DIVIDE por él, y = x ⊙ m / (1 − p) (multiplicar por 1 − p es "
        "la regla de la fase de test del dropout original, no invertido).",
    "Divide by the keep probability 1 − p, not by the drop probability p.":
        "Divida por la probabilidad de conservar 1 − p, no por la probabilidad de descartar p.",
    "Your y keeps the entries your mask marks as dropped: mask = 1 means kept.":
        "Su y conserva los elementos que su máscara marca como descartados: mask = 1 significa conservado.",
    "y = x ⊙ m / (1 − p), entry by entry.":
        "y = x ⊙ m / (1 − p), elemento a elemento.",
    "an array ∂q/∂x of the shape of grad_y":
        "un array ∂q/∂x con la forma de grad_y",
    "Your backward pass does not use the mask: a dropped entry did not reach y, so its gradient is 0. ∂q/∂x = m ⊙ "
    "∂q/∂y / (1 − p), with the mask of the forward pass.":
        "Su cálculo hacia atrás no usa la máscara: un elemento descartado no llegó a y, así que su gradiente es 0. "
        "∂q/∂x = m ⊙ ∂q/∂y / (1 − p), con la máscara del cálculo hacia adelante.",
    "The backward pass is not the identity: ∂y/∂x = m/(1 − p), so ∂q/∂x = m ⊙ ∂q/∂y / (1 − p).":
        "El cálculo hacia atrás no es la identidad: ∂y/∂x = m/(1 − p), así que ∂q/∂x = m ⊙ ∂q/∂y / (1 − p).",
    "The factor 1/(1 − p) of the forward pass belongs in the backward pass too: ∂q/∂x = m ⊙ ∂q/∂y / (1 − p).":
        "El factor 1/(1 − p) del cálculo hacia adelante también va en el cálculo hacia atrás: ∂q/∂x = m ⊙ ∂q/∂y / "
        "(1 − p).",
    "Divide by 1 − p in the backward pass, as in the forward pass.":
        "Divida por 1 − p en el cálculo hacia atrás, como en el cálculo hacia adelante.",
    "∂q/∂x = m ⊙ ∂q/∂y / (1 − p): y is linear in x, with the same factor.":
        "∂q/∂x = m ⊙ ∂q/∂y / (1 − p): y es lineal en x, con el mismo factor.",
    "{name}: the mask drops {dropped} of the entries (p = {p}), y = x ⊙ m / (1 − p) and ∂q/∂x = m ⊙ ∂q/∂y / (1 − "
    "p), as nnlib.layers.regularization.Dropout.":
        "{name}: la máscara descarta {dropped} de los elementos (p = {p}), y = x ⊙ m / (1 − p) y ∂q/∂x = m ⊙ ∂q/∂y "
        "/ (1 − p), como nnlib.layers.regularization.Dropout.",
    "You clip each array by its own norm: use ONE norm over all arrays together, ‖g‖ = sqrt(Σ over every array of "
    "Σ g²), and scale every array by the same factor c/‖g‖, so that the whole gradient keeps its direction.":
        "Recorta cada array por su propia norma: use UNA norma para todos los arrays juntos, ‖g‖ = sqrt(Σ sobre "
        "cada array de Σ g²), y escale todos los arrays por el mismo factor c/‖g‖, para que el gradiente completo "
        "conserve su dirección.",
    "You rescale each array to norm c by its own norm: use one norm over all arrays together, and only when it "
    "exceeds c.":
        "Reescala cada array a norma c con su propia norma: use una norma para todos los arrays juntos, y solo "
        "cuando supere c.",
    "You rescale to norm c even when ‖g‖ < c. Clipping leaves a gradient whose norm is at most c unchanged: scale "
    "only if ‖g‖ > c (the slide's wording, \"normalize so that the norm equals a value\", reads as always "
    "rescaling; the usual rule, and nnlib's, clips only large gradients).":
        "Reescala a norma c incluso cuando ‖g‖ < c. El recorte deja sin cambios un gradiente cuya norma es como "
        "mucho c: escale solo si ‖g‖ > c (la redacción de la diapositiva, \"normalizar para que la norma sea igual "
        "a un valor\", se lee como reescalar siempre; la regla habitual, y la de nnlib, recorta solo los "
        "gradientes grandes).",
    "The factor is c/‖g‖ (< 1 when ‖g‖ > c), not ‖g‖/c.":
        "El factor es c/‖g‖ (< 1 cuando ‖g‖ > c), no ‖g‖/c.",
    "g/‖g‖ has norm 1: multiply by c too, g ← c g / ‖g‖.":
        "g/‖g‖ tiene norma 1: multiplique también por c, g ← c g / ‖g‖.",
    "That is clipping by value (each entry into [−c, c]), which changes the direction; clip by norm scales the "
    "whole gradient: g ← c g / ‖g‖ when ‖g‖ > c.":
        "Eso es un recorte por valor (cada elemento a [−c, c]), que cambia la dirección; el recorte por norma "
        "escala el gradiente completo: g ← c g / ‖g‖ cuando ‖g‖ > c.",
    "Your gradient is unchanged though its norm exceeds c: scale it, g ← c g / ‖g‖.":
        "Su gradiente no cambia aunque su norma supera c: escálelo, g ← c g / ‖g‖.",
    "a list of arrays, the clipped gradient":
        "una lista de arrays, el gradiente recortado",
    "a list of arrays":
        "una lista de arrays",
    "a list of {n} items":
        "una lista de {n} elementos",
    "a list of {n} arrays (one per array of grads)":
        "una lista de {n} arrays (uno por cada array de grads)",
    "Return a list with one clipped array per array of grads, in the same order.":
        "Devuelva una lista con un array recortado por cada array de grads, en el mismo orden.",
    "(case {label}) {hint}":
        "(caso {label}) {hint}",
    "clipped grads[{i}] (case {label})":
        "grads[{i}] recortado (caso {label})",
    "Compute ‖g‖ over all arrays, then multiply every array by c/‖g‖ if ‖g‖ > c.":
        "Calcule ‖g‖ sobre todos los arrays y después multiplique cada array por c/‖g‖ si ‖g‖ > c.",
    "{name}: ‖g‖ = {norm} > c = {c} scaled to norm c, direction kept, and a gradient with ‖g‖ < c left unchanged, "
    "as nnlib.layers.regularization.clip_by_norm.":
        "{name}: ‖g‖ = {norm} > c = {c} escalado a norma c, con la dirección conservada, y un gradiente con ‖g‖ < "
        "c sin cambios, como nnlib.layers.regularization.clip_by_norm.",
    "The thresholds θ_i0 (column 0) are not penalized: they move by −ρ ∂q_S/∂θ_i0 only.":
        "Los umbrales θ_i0 (columna 0) no se penalizan: se mueven solo en −ρ ∂q_S/∂θ_i0.",
    "The thresholds θ_i0 (column 0) are not penalized: leave their entries at 0.":
        "Los umbrales θ_i0 (columna 0) no se penalizan: deje sus elementos a 0.",
    "Mind the sign: |θ| grows with θ for θ > 0, so its derivative is +1 there; the subgradient is +(λ/2) sgn(θ).":
        "Cuidado con el signo: |θ| crece con θ para θ > 0, así que su derivada es +1 ahí; el subgradiente es "
        "+(λ/2) sgn(θ).",
    "With the slide's penalty (λ/2) Σ |θ| the derivative is (λ/2) sgn(θ): the 1/2 does not cancel as in L2 (there "
    "is no square to bring down a 2). λ sgn(θ) is the gradient of λ Σ |θ|, the form most libraries use.":
        "Con la penalización de la diapositiva, (λ/2) Σ |θ|, la derivada es (λ/2) sgn(θ): el 1/2 no se cancela "
        "como en L2 (no hay cuadrado que baje un 2). λ sgn(θ) es el gradiente de λ Σ |θ|, la forma que usan la "
        "mayoría de las bibliotecas.",
    "{thresholds} And the factor is λ/2 (the slide's form), not λ.":
        "{thresholds} Y el factor es λ/2 (la forma de la diapositiva), no λ.",
    "At θ = 0, |θ| has no derivative; the subgradient used is 0 (np.sign(0) = 0), so a zero weight stays put "
    "instead of being pushed to ±ρλ/2.":
        "En θ = 0, |θ| no tiene derivada; el subgradiente que se usa es 0 (np.sign(0) = 0), así que un peso nulo "
        "se queda quieto en lugar de empujarse a ±ρλ/2.",
    "λθ is the gradient of the L2 penalty (λ/2) Σ θ²; for |θ| it is sgn(θ).":
        "λθ es el gradiente de la penalización L2 (λ/2) Σ θ²; para |θ| es sgn(θ).",
    "(λ/2) θ is not the derivative of (λ/2)|θ|: that is (λ/2) sgn(θ).":
        "(λ/2) θ no es la derivada de (λ/2)|θ|: esa es (λ/2) sgn(θ).",
    "θ/|θ| is 0/0 = NaN at θ = 0: use np.sign, which gives sgn(0) = 0.":
        "θ/|θ| es 0/0 = NaN en θ = 0: use np.sign, que da sgn(0) = 0.",
    "the subgradient":
        "el subgradiente",
    "theta unchanged":
        "theta sin cambios",
    "theta changed by your function":
        "theta modificado por su función",
    "Return a new array; the subgradient must not change the weights.":
        "Devuelva un array nuevo; el subgradiente no debe modificar los pesos.",
    "(λ/2) sgn(θ_ij) on the weights (columns 1..), 0 on the thresholds (column 0).":
        "(λ/2) sgn(θ_ij) en los pesos (columnas 1..), 0 en los umbrales (columna 0).",
    "{name} = (λ/2) sgn(θ) on the weights, 0 at θ = 0 and on the thresholds, as "
    "nnlib.layers.regularization.L1(lam={lam}).":
        "{name} = (λ/2) sgn(θ) en los pesos, 0 en θ = 0 y en los umbrales, como "
        "nnlib.layers.regularization.L1(lam={lam}).",
    "The step goes downhill: θ ← θ − ρ (∇q_S + (λ/2) sgn θ).":
        "El paso va cuesta abajo: θ ← θ − ρ (∇q_S + (λ/2) sgn θ).",
    "ρ multiplies the penalty's gradient too: θ ← θ − ρ (∇q_S + (λ/2) sgn θ).":
        "ρ también multiplica al gradiente de la penalización: θ ← θ − ρ (∇q_S + (λ/2) sgn θ).",
    "The penalty is missing: add its subgradient (λ/2) sgn(θ) to ∇q_S on the weights.":
        "Falta la penalización: sume su subgradiente (λ/2) sgn(θ) a ∇q_S en los pesos.",
    "That is weight decay (L2): for L1 add (λ/2) sgn(θ).":
        "Eso es decaimiento de pesos (L2): para L1 sume (λ/2) sgn(θ).",
    "θ after the step":
        "θ tras el paso",
    "θ ← θ − ρ (∇q_S + (λ/2) sgn θ) on the weights, θ_i0 ← θ_i0 − ρ ∂q_S/∂θ_i0.":
        "θ ← θ − ρ (∇q_S + (λ/2) sgn θ) en los pesos, θ_i0 ← θ_i0 − ρ ∂q_S/∂θ_i0.",
    "{name}: θ − ρ (∇q_S + (λ/2) sgn θ), thresholds unpenalized, as nnlib's SGD(rho={rho}) with L1(lam={lam}).":
        "{name}: θ − ρ (∇q_S + (λ/2) sgn θ), umbrales sin penalizar, como SGD(rho={rho}) de nnlib con "
        "L1(lam={lam}).",

    # augment.py: data augmentation: a horizontal flip, a random shift
    "an array of shape (N, 64)":
        "un array de forma (N, 64)",
    "an array of shape ({n}, 64)":
        "un array de forma ({n}, 64)",
    "Return a numpy array.":
        "Devuelva un array de numpy.",
    "Your images are right but still 8×8: reshape them back to rows of 64, .reshape(len(X), 64).":
        "Sus imágenes son correctas pero siguen siendo de 8×8: vuelva a darles forma de filas de 64, "
        ".reshape(len(X), 64).",
    "{name} must keep the layout of X: one row of 64 numbers per image, shape (N, 64). Reshape to (N, 8, 8), "
    "transform, and reshape back.":
        "{name} debe conservar la disposición de X: una fila de 64 números por imagen, forma (N, 64). Cambie la "
        "forma a (N, 8, 8), transforme y vuelva a cambiar la forma.",
    "Your function changed the array X it was given. Augmentation makes a new copy each time and leaves the data "
    "alone (otherwise every epoch would transform images already transformed): work on X.copy(), or build the "
    "result with slicing and reshape into a new array.":
        "Su función ha modificado el array X que recibió. El aumento de datos hace una copia nueva cada vez y deja "
        "los datos intactos (si no, cada época transformaría imágenes ya transformadas): trabaje sobre X.copy(), o "
        "construya el resultado con cortes (slicing) y reshape en un array nuevo.",
    "You flipped each image upside down (its rows, axis 1 of the (N, 8, 8) array): a horizontal flip swaps left "
    "and right, so it reverses the columns, axis 2.":
        "Ha volteado cada imagen de arriba abajo (sus filas, el eje 1 del array (N, 8, 8)): un giro horizontal "
        "intercambia izquierda y derecha, así que invierte las columnas, el eje 2.",
    "You reversed the 64 numbers of each row as a whole: that reverses both the rows and the columns of the image, "
    "a rotation by 180°, not a mirror. Reshape to (N, 8, 8) first and reverse axis 2 only.":
        "Ha invertido los 64 números de cada fila en bloque: eso invierte a la vez las filas y las columnas de la "
        "imagen, una rotación de 180°, no un espejo. Cambie primero la forma a (N, 8, 8) e invierta solo el eje 2.",
    "You reversed the order of the images (axis 0): flip within each image, axis 2 of (N, 8, 8).":
        "Ha invertido el orden de las imágenes (eje 0): voltee dentro de cada imagen, el eje 2 de (N, 8, 8).",
    "You transposed each image (rows became columns): that is a mirror about the diagonal. Reverse the columns "
    "instead: [:, :, ::-1].":
        "Ha traspuesto cada imagen (las filas se han vuelto columnas): eso es un espejo respecto a la diagonal. "
        "Invierta en su lugar las columnas: [:, :, ::-1].",
    "Your function returned the images unchanged.":
        "Su función ha devuelto las imágenes sin cambios.",
    "{answer!r}, not a function":
        "{answer!r}, no una función",
    "an array of shape (6, 64)":
        "un array de forma (6, 64)",
    "X left unchanged":
        "X sin cambios",
    "X changed by your function":
        "X modificado por su función",
    "Use len(X) or -1 in your reshape, never a fixed number of images.":
        "Use len(X) o -1 en su reshape, nunca un número fijo de imágenes.",
    "the same flip for a batch of one image, shape (1, 64)":
        "el mismo giro para un bloque de una sola imagen, forma (1, 64)",
    "{name} mirrors each 8×8 image left to right (column j becomes column 7 - j), for 6 images and for 1, and "
    "leaves X unchanged.":
        "{name} refleja cada imagen de 8×8 de izquierda a derecha (la columna j pasa a ser la columna 7 - j), para "
        "6 imágenes y para 1, y deja X sin cambios.",
    "first row of image 0 reversed: {row}":
        "primera fila de la imagen 0 invertida: {row}",
    "first row of image 0: {row}":
        "primera fila de la imagen 0: {row}",
    "Reshape to (N, 8, 8), reverse the columns of every image ([:, :, ::-1]), reshape back to (N, 64).":
        "Cambie la forma a (N, 8, 8), invierta las columnas de cada imagen ([:, :, ::-1]) y vuelva a la forma (N, "
        "64).",
    "np.roll wraps around: the pixels that leave one side come back on the other. A shift fills the pixels that "
    "enter with 0, the background: copy a slice into np.zeros_like(...).":
        "np.roll da la vuelta: los píxeles que salen por un lado vuelven a entrar por el otro. Un desplazamiento "
        "rellena con 0, el fondo, los píxeles que entran: copie un corte en np.zeros_like(...).",
    "You shifted the row of 64 numbers: moving it by 1 carries the last pixel of each image row to the start of "
    "the next row. Reshape to 8×8 and shift rows and columns there.":
        "Ha desplazado la fila de 64 números: moverla 1 lleva el último píxel de cada fila de la imagen al "
        "principio de la fila siguiente. Cambie la forma a 8×8 y desplace allí filas y columnas.",
    "Shift by at most one pixel: dy and dx in {{-1, 0, 1}}.":
        "Desplace como mucho un píxel: dy y dx en {{-1, 0, 1}}.",
    "Each output image must be its input moved by dy rows and dx columns (each -1, 0 or 1), with zeros entering at "
    "the edge.":
        "Cada imagen de salida debe ser su entrada desplazada dy filas y dx columnas (cada uno -1, 0 o 1), con "
        "ceros entrando por el borde.",
    "each image moved by its own (dy, dx) in {{-1, 0, 1}}², zeros entering":
        "cada imagen desplazada con su propio (dy, dx) en {{-1, 0, 1}}², con ceros entrando",
    "image {i}: {expected}":
        "imagen {i}: {expected}",
    "image {i} (first row): {row}":
        "imagen {i} (primera fila): {row}",
    "a different random shift for each image":
        "un desplazamiento aleatorio distinto para cada imagen",
    "the shift {shift} for all {n} images":
        "el desplazamiento {shift} para las {n} imágenes",
    "Draw dy and dx for every image (arrays of N values, e.g. rng.integers(-1, 2, size=N)), not once for the whole "
    "batch.":
        "Sortee dy y dx para cada imagen (arrays de N valores, p. ej. rng.integers(-1, 2, size=N)), no una sola "
        "vez para todo el bloque.",
    "all nine shifts (dy, dx) with dy, dx in {{-1, 0, 1}}":
        "los nueve desplazamientos (dy, dx) con dy, dx en {{-1, 0, 1}}",
    "{n} of them; never {missing}":
        "{n} de ellos; nunca {missing}",
    "rng.integers(low, high) excludes high: rng.integers(-1, 2) draws from {{-1, 0, 1}}; draw dy and dx "
    "independently.":
        "rng.integers(low, high) excluye high: rng.integers(-1, 2) sortea en {{-1, 0, 1}}; sortee dy y dx de forma "
        "independiente.",
    "the same result for two generators with the same seed":
        "el mismo resultado para dos generadores con la misma semilla",
    "different results":
        "resultados distintos",
    "Take every random number from the rng argument (rng.integers, rng.random), not from np.random.* or the random "
    "module: then a seed reproduces the augmentation.":
        "Tome todos los números aleatorios del argumento rng (rng.integers, rng.random), no de np.random.* ni del "
        "módulo random: así una semilla reproduce el aumento de datos.",
    "different shifts for a generator with another seed":
        "desplazamientos distintos para un generador con otra semilla",
    "the same result":
        "el mismo resultado",
    "Your function ignores rng (a fixed seed inside?): draw the shifts from the rng you are given.":
        "Su función ignora rng (¿una semilla fija dentro?): sortee los desplazamientos con el rng que recibe.",
    "{name} moves each image by its own shift with zero fill; all nine shifts occur (between {fewest} and {most} "
    "of {n} images each), the seed of rng reproduces them, and X is left unchanged.":
        "{name} desplaza cada imagen con su propio desplazamiento y relleno de ceros; aparecen los nueve "
        "desplazamientos (entre {fewest} y {most} de {n} imágenes cada uno), la semilla de rng los reproduce y X "
        "queda sin cambios.",

    # conv.py: convolution: output size, number of weights, a convolution by hand
    "{answer!r}, a value":
        "{answer!r}, un valor",
    "This is the formula without padding: the padded input has H + 2P entries, P zeros on each side.":
        "Esta es la fórmula sin relleno: la entrada rellenada tiene H + 2P elementos, P ceros a cada lado.",
    "You rounded up. A window that does not fit entirely is not used: take the floor, (H + 2P − M) // S + 1.":
        "Ha redondeado hacia arriba. Una ventana que no cabe entera no se usa: tome la parte entera por abajo, (H "
        "+ 2P − M) // S + 1.",
    "When S does not divide H + 2P − M the division leaves a fraction: take the floor (integer division //), since "
    "a window that does not fit is not used.":
        "Cuando S no divide a H + 2P − M, la división deja una fracción: tome la parte entera por abajo (división "
        "entera //), ya que una ventana que no cabe no se usa.",
    "Count the window positions 0, S, 2S, …, kS: that is k + 1 of them, so add 1.":
        "Cuente las posiciones de la ventana 0, S, 2S, …, kS: son k + 1, así que sume 1.",
    "The padding is added on both sides: the padded input has H + 2P entries.":
        "El relleno se añade por los dos lados: la entrada rellenada tiene H + 2P elementos.",
    "This counts the positions for stride 1 only: with stride S the filter jumps S entries at a time, so divide H "
    "+ 2P − M by S (and take the floor).":
        "Esto cuenta las posiciones solo para paso del filtro 1: con paso S el filtro salta S elementos cada vez, "
        "así que divida H + 2P − M entre S (y tome la parte entera por abajo).",
    "Where can the first window start, and the last? Count the starts 0, S, 2S, ….":
        "¿Dónde puede empezar la primera ventana, y la última? Cuente los inicios 0, S, 2S, ….",
    "You forgot the thresholds (biases): every filter also has one threshold b, like θ_i0 of a unit.":
        "Ha olvidado los umbrales: cada filtro tiene además un umbral b, como el θ_i0 de un nodo.",
    "You forgot the input channels: a filter spans all C_in channels, so it has C_in·M·N weights.":
        "Ha olvidado los canales de entrada: un filtro abarca los C_in canales, así que tiene C_in·M·N pesos.",
    "You forgot both the input channels (a filter has C_in·M·N weights) and the thresholds (one per filter).":
        "Ha olvidado a la vez los canales de entrada (un filtro tiene C_in·M·N pesos) y los umbrales (uno por "
        "filtro).",
    "One threshold per filter, not one per filter and input channel: the filter's sums over all channels are added "
    "into one output, plus one b.":
        "Un umbral por filtro, no uno por filtro y canal de entrada: las sumas del filtro sobre todos los canales "
        "se suman en una única salida, más un b.",
    "That is one filter: the layer has C_out of them, each with its own weights.":
        "Eso es un solo filtro: la capa tiene C_out, cada uno con sus propios pesos.",
    "Count the weights of one filter (all its channels), add its threshold, multiply by the number of filters.":
        "Cuente los pesos de un filtro (todos sus canales), sume su umbral y multiplique por el número de filtros.",
    "You flipped the kernel: that is the true convolution of signal processing. A convolutional layer lays K on "
    "the image as it is (cross-correlation): y_ij = b + Σ K_pq x_(i+p),(j+q).":
        "Ha invertido el núcleo: esa es la convolución propiamente dicha del tratamiento de señales. Una capa "
        "convolucional coloca K sobre la imagen tal cual (correlación cruzada): y_ij = b + Σ K_pq x_(i+p),(j+q).",
    "You forgot the threshold: add b = {b:g} to every output.":
        "Ha olvidado el umbral: sume b = {b:g} a cada salida.",
    "Two slips: the kernel is flipped (the layer does not flip it) and the threshold b = {b:g} is missing.":
        "Dos despistes: el núcleo está invertido (la capa no lo invierte) y falta el umbral b = {b:g}.",
    "Your output is transposed: y[i, j] is the kernel placed i strides down and j strides to the right, so the "
    "first row of y comes from the top rows of x.":
        "Su salida está traspuesta: y[i, j] es el núcleo colocado i pasos hacia abajo y j pasos hacia la derecha, "
        "así que la primera fila de y sale de las filas de arriba de x.",
    "You padded the image with zeros; this layer has no padding: the output is smaller than x, {rows}×{columns}.":
        "Ha rellenado la imagen con ceros; esta capa no tiene relleno: la salida es más pequeña que x, "
        "{rows}×{columns}.",
    "This is stride 1: with stride {stride} the kernel jumps {stride} pixels at a time, so only every other "
    "position is computed.":
        "Esto es paso del filtro 1: con paso {stride} el núcleo salta {stride} píxeles cada vez, así que solo se "
        "calcula una de cada tantas posiciones.",
    "Lay K on the top-left corner of x, multiply entry by entry, add up, add b; then move K one stride to the "
    "right.":
        "Coloque K sobre la esquina superior izquierda de x, multiplique elemento a elemento, sume y añada b; "
        "después mueva K un paso hacia la derecha.",

    # recurrent.py: recurrent networks: BPTT by hand
    "You kept only the last step's term d₃ h₂. w_Y is used at every step, so q depends on it also through h₂ and "
    "h₁: add the terms d₂ h₁ and d₁ h₀ (h₀ = 0, but d₂ h₁ is not zero).":
        "Se ha quedado solo con el término del último paso, d₃ h₂. w_Y se usa en cada paso, así que q también "
        "depende de él a través de h₂ y h₁: sume los términos d₂ h₁ y d₁ h₀ (h₀ = 0, pero d₂ h₁ no es cero).",
    "Each step's term is there, but d_n must carry the gradient back through the later states: d₂ = d₃ · w_Y · "
    "f'(z₂), d₁ = d₂ · w_Y · f'(z₁). You used (h₃ − t) f'(z_n) for every step.":
        "Están los términos de cada paso, pero d_n debe llevar el gradiente hacia atrás a través de los estados "
        "posteriores: d₂ = d₃ · w_Y · f'(z₂), d₁ = d₂ · w_Y · f'(z₁). Ha usado (h₃ − t) f'(z_n) en cada paso.",
    "The factors f'(z_n) = 1 − h_n² are missing: the gradient passes through tanh at every step, d₃ = (h₃ − t)(1 − "
    "h₃²) and d_n = d_{{n+1}} w_Y (1 − h_n²).":
        "Faltan los factores f'(z_n) = 1 − h_n²: el gradiente pasa por tanh en cada paso, d₃ = (h₃ − t)(1 − h₃²) y "
        "d_n = d_{{n+1}} w_Y (1 − h_n²).",
    "d₃ has its f'(z₃), but going back one step the gradient passes through tanh again: d₂ = d₃ · w_Y · (1 − h₂²) "
    "and d₁ = d₂ · w_Y · (1 − h₁²); you left out those f'.":
        "d₃ tiene su f'(z₃), pero al retroceder un paso el gradiente vuelve a pasar por tanh: d₂ = d₃ · w_Y · (1 − "
        "h₂²) y d₁ = d₂ · w_Y · (1 − h₁²); ha omitido esos f'.",
    "Step n uses w_Y to multiply the PREVIOUS state: z_n = w_X x_n + w_Y h_{{n−1}} + b, so its term is d_n · "
    "h_{{n−1}}, not d_n · h_n.":
        "El paso n usa w_Y para multiplicar el estado ANTERIOR: z_n = w_X x_n + w_Y h_{{n−1}} + b, así que su "
        "término es d_n · h_{{n−1}}, no d_n · h_n.",
    "The sign is wrong: ∂q/∂h₃ = h₃ − t for q = ½ (h₃ − t)².":
        "El signo es incorrecto: ∂q/∂h₃ = h₃ − t para q = ½ (h₃ − t)².",
    "Give the function itself, {name}, without parentheses: the check calls it.":
        "Dé la propia función, {name}, sin paréntesis: la comprobación la llama.",
    "{name} gives ∂q/∂w_Y for all {n} sequences, the sum over the three steps that BPTT computes.":
        "{name} da ∂q/∂w_Y en las {n} secuencias, la suma sobre los tres pasos que calcula la retropropagación a "
        "través del tiempo (BPTT).",
    "Write the forward pass h₁, h₂, h₃ first, then d₃ = (h₃ − t)(1 − h₃²), d₂ = d₃ w_Y (1 − h₂²), d₁ = d₂ w_Y (1 − "
    "h₁²), and sum d_n h_{{n−1}}.":
        "Escriba primero el cálculo hacia adelante h₁, h₂, h₃, después d₃ = (h₃ − t)(1 − h₃²), d₂ = d₃ w_Y (1 − "
        "h₂²), d₁ = d₂ w_Y (1 − h₁²), y sume d_n h_{{n−1}}.",

    # attention.py: attention: scaled dot-product attention with a padding mask
    "The softmax runs over the wrong axis: the weights of one sample (one row of e, shape (N, T)) must sum to 1 "
    "over its source positions j, so normalize along axis=1, not axis=0.":
        "La softmax recorre el eje equivocado: los pesos de una muestra (una fila de e, forma (N, T)) deben sumar "
        "1 sobre sus posiciones de origen j, así que normalice a lo largo de axis=1, no de axis=0.",
    "The scaling is missing: this exercise uses the scaled dot product, e = q · k / √d (d = the length of q), as "
    "in Vaswani et al. (2017).":
        "Falta el escalado: este ejercicio usa el producto escalar escalado, e = q · k / √d (d = la longitud de "
        "q), como en Vaswani et al. (2017).",
    "The scores are divided by d; the scaled dot product divides by √d.":
        "Las puntuaciones están divididas por d; el producto escalar escalado divide por √d.",
    "The padded positions got weight: they must get α = 0. Leave them out of the softmax: set their scores to "
    "-np.inf (or multiply exp(e) by the mask) before normalizing.":
        "Las posiciones de relleno han recibido peso: deben tener α = 0. Déjelas fuera de la softmax: ponga sus "
        "puntuaciones a -np.inf (o multiplique exp(e) por la máscara) antes de normalizar.",
    "The padded weights are 0, but the others no longer sum to 1: you masked after the softmax. Mask the scores "
    "(or exp(e)) before you divide by the sum.":
        "Los pesos de relleno son 0, pero los demás ya no suman 1: ha aplicado la máscara después de la softmax. "
        "Aplique la máscara a las puntuaciones (o a exp(e)) antes de dividir por la suma.",
    "A padded score set to 0 still gets weight exp(0) > 0. Remove it instead: -np.inf as its score, or multiply "
    "exp(e) by the mask before the sum.":
        "Una puntuación de relleno puesta a 0 sigue recibiendo el peso exp(0) > 0. Elimínela en su lugar: -np.inf "
        "como puntuación, o multiplique exp(e) por la máscara antes de la suma.",
    "The context averages the values V, not the keys K: c = Σ_j α_j v_j.":
        "El contexto promedia los valores V, no las claves K: c = Σ_j α_j v_j.",
    "The context uses the weights α (after the softmax), not the scores e: c = Σ_j α_j v_j.":
        "El contexto usa los pesos α (después de la softmax), no las puntuaciones e: c = Σ_j α_j v_j.",
    "a tuple (alpha, c)":
        "una tupla (alpha, c)",
    "the example above":
        "el ejemplo de arriba",
    "a random example with N = 3, T = 5, d = 4":
        "un ejemplo aleatorio con N = 3, T = 5, d = 4",
    "a {kind} with {n} items":
        "un objeto {kind} con {n} elementos",
    "Return both: return alpha, c (the weights first).":
        "Devuelva ambos: return alpha, c (primero los pesos).",
    "Your result is transposed.":
        "Su resultado está traspuesto.",
    "alpha has one weight per sample and source position, shape (N, T) = {alpha_shape}; c one context per sample, "
    "shape (N, d_v) = {c_shape}.":
        "alpha tiene un peso por muestra y posición de origen, forma (N, T) = {alpha_shape}; c un contexto por "
        "muestra, forma (N, d_v) = {c_shape}.",
    "{n} of shape {shape} for {label}":
        "{n} de forma {shape} para {label}",
    "the right {name} for {label}":
        "el {name} correcto para {label}",
    "another {name} for {label}":
        "otro {name} para {label}",
    "c is right but alpha is not: return the weights α (after the softmax and the mask).":
        "c es correcto pero alpha no: devuelva los pesos α (después de la softmax y de la máscara).",
    "alpha is right: the context is c_n = Σ_j α_nj v_nj, for each sample n.":
        "alpha es correcto: el contexto es c_n = Σ_j α_nj v_nj, para cada muestra n.",
    "Compute e = q · k_j / √d for every position, the masked softmax over j, then c = Σ_j α_j v_j; compare step by "
    "step.":
        "Calcule e = q · k_j / √d para cada posición, la softmax con máscara sobre j, y después c = Σ_j α_j v_j; "
        "compare paso a paso.",
    "{hint} (Each row of alpha should sum to 1.)":
        "{hint} (Cada fila de alpha debería sumar 1.)",
    "{name} gives the right weights and contexts on the example and on a random case with padding: α = masked "
    "softmax(q · k / √d), c = Σ_j α_j v_j.":
        "{name} da los pesos y los contextos correctos en el ejemplo y en un caso aleatorio con relleno: α = "
        "softmax con máscara(q · k / √d), c = Σ_j α_j v_j.",

    # applications.py: applications: precision and recall, a persistence forecast, an inverse model
    "Give the function itself, {name}, without parentheses.":
        "Dé la propia función, {name}, sin paréntesis.",
    "{name}(C, k={k}) for C = {C}":
        "{name}(C, k={k}) para C = {C}",
    "a pair (precision, recall)":
        "un par (precisión, exhaustividad)",
    "a pair":
        "un par",
    "Return the two numbers together: return precision, recall.":
        "Devuelva los dos números juntos: return precision, recall.",
    "precision":
        "precisión",
    "recall":
        "exhaustividad",
    "(precision, recall) = ({values}) for {call}":
        "(precisión, exhaustividad) = ({values}) para {call}",
    "Precision and recall are swapped: rows of C are the true classes, columns the predictions. Recall divides "
    "C[k, k] by its row sum (all samples of class k), precision by its column sum (all samples predicted as k).":
        "La precisión y la exhaustividad están intercambiadas: las filas de C son las clases verdaderas y las "
        "columnas las predicciones. La exhaustividad divide C[k, k] por la suma de su fila (todas las muestras de "
        "la clase k), la precisión por la suma de su columna (todas las muestras predichas como k).",
    "That is the accuracy of the whole matrix (its trace over its sum); precision and recall are about one class "
    "k: one column, one row.":
        "Esa es la tasa de acierto de toda la matriz (su traza entre su suma); la precisión y la exhaustividad se "
        "refieren a una clase k: una columna, una fila.",
    "Divide C[k, k] by the sum of column k (precision) or of row k (recall), not by all samples.":
        "Divida C[k, k] por la suma de la columna k (precisión) o de la fila k (exhaustividad), no por todas las "
        "muestras.",
    "Precision of k: C[k, k] / C[:, k].sum() (of those predicted k, the right ones); recall: C[k, k] / C[k, "
    ":].sum() (of the samples of class k, those found).":
        "Precisión de k: C[k, k] / C[:, k].sum() (de las predichas como k, las correctas); exhaustividad: C[k, k] "
        "/ C[k, :].sum() (de las muestras de la clase k, las encontradas).",
    "{name} gives the precision (column) and the recall (row) of every class of {n} confusion matrices.":
        "{name} da la precisión (columna) y la exhaustividad (fila) de cada clase de {n} matrices de confusión.",
    "an array":
        "un array",
    "an array of {n} forecasts":
        "un array de {n} predicciones",
    "One forecast too many: forecast the days start, ..., {last}, one per value of y[start:]. The forecast of day "
    "t uses y[t - 1], so the last known value y[-1] forecasts a day beyond the series.":
        "Una predicción de más: prediga los días start, ..., {last}, una por cada valor de y[start:]. La "
        "predicción del día t usa y[t - 1], así que el último valor conocido, y[-1], predice un día más allá de la "
        "serie.",
    "One forecast too few: there is one forecast for every value of y[start:].":
        "Una predicción de menos: hay una predicción por cada valor de y[start:].",
    "Give one forecast per day from start to the end: {n} values, like y[start:].":
        "Dé una predicción por día, desde start hasta el final: {n} valores, como y[start:].",
    "the forecast of day t is y[t - 1]: y[start - 1:-1], {n} forecasts.":
        "la predicción del día t es y[t - 1]: y[start - 1:-1], {n} predicciones.",
    "These are the values to forecast themselves (lag 0): a forecast may only use the past. The persistence "
    "forecast of day t is the value of the day before, y[t - 1].":
        "Son los propios valores que hay que predecir (retardo 0): una predicción solo puede usar el pasado. La "
        "predicción por persistencia del día t es el valor del día anterior, y[t - 1].",
    "These are the values two days back (lag 2): persistence uses the day just before, y[t - 1].":
        "Son los valores de dos días antes (retardo 2): la persistencia usa el día justo anterior, y[t - 1].",
    "The forecast of day t is y[t - 1]: shift the series by one step.":
        "La predicción del día t es y[t - 1]: desplace la serie un paso.",
    "forecast[{i}] = {value} (= y[{before}], the day before day {day})":
        "predicción[{i}] = {value} (= y[{before}], el día anterior al día {day})",
    "forecast[{i}] = {value}":
        "predicción[{i}] = {value}",
    "The delayed input u_{{k-1}} is missing: the plant's next output depends on u_{{k-1}} too, so the inverse "
    "model needs it to tell which u_k produced y_{{k+1}}. Each row has 4 entries.":
        "Falta la entrada retardada u_{{k-1}}: la siguiente salida de la planta también depende de u_{{k-1}}, así "
        "que el modelo inverso la necesita para saber qué u_k produjo y_{{k+1}}. Cada fila tiene 4 elementos.",
    "The delayed output y_{{k-1}} is missing: a second-order plant remembers two past outputs. Each row has 4 "
    "entries: y_{{k+1}}, y_k, y_{{k-1}}, u_{{k-1}}.":
        "Falta la salida retardada y_{{k-1}}: una planta de segundo orden recuerda dos salidas pasadas. Cada fila "
        "tiene 4 elementos: y_{{k+1}}, y_k, y_{{k-1}}, u_{{k-1}}.",
    "The next output y_{{k+1}} is missing: it is the inverse model's main input, the output we want u_k to produce.":
        "Falta la siguiente salida y_{{k+1}}: es la entrada principal del modelo inverso, la salida que queremos "
        "que produzca u_k.",
    "a pair (X, t)":
        "un par (X, t)",
    "Return the inputs and the targets together: return X, t.":
        "Devuelva las entradas y las etiquetas juntas: return X, t.",
    "One row per k = 1 .. K-1 ({n} rows here): k starts at 1 because the row uses y_{{k-1}} and u_{{k-1}}, and "
    "stops at K-1 because it uses y_{{k+1}}.":
        "Una fila por cada k = 1 .. K-1 ({n} filas aquí): k empieza en 1 porque la fila usa y_{{k-1}} y u_{{k-1}}, "
        "y termina en K-1 porque usa y_{{k+1}}.",
    "Each row is (y_{{k+1}}, y_k, y_{{k-1}}, u_{{k-1}}), one row for each k = 1 .. K-1.":
        "Cada fila es (y_{{k+1}}, y_k, y_{{k-1}}, u_{{k-1}}), una fila para cada k = 1 .. K-1.",
    "X of shape {shape}":
        "X de forma {shape}",
    "column {j} of X = {term} = {values}...":
        "columna {j} de X = {term} = {values}...",
    "column {j} = {values}...":
        "columna {j} = {values}...",
    "Column {j} must hold {term} for k = 1, 2, ...; check its index (an off-by-one?).":
        "La columna {j} debe contener {term} para k = 1, 2, ...; revise su índice (¿un desfase de uno?).",
    "t of shape {shape}":
        "t de forma {shape}",
    "One target u_k per row of X.":
        "Una etiqueta u_k por fila de X.",
    "The targets are u_{{k-1}}, one step behind: the row of k predicts u_k, the input that led to y_{{k+1}}.":
        "Las etiquetas son u_{{k-1}}, un paso por detrás: la fila de k predice u_k, la entrada que llevó a "
        "y_{{k+1}}.",
    "The targets are u_{{k+1}}, one step ahead: the row of k predicts u_k.":
        "Las etiquetas son u_{{k+1}}, un paso por delante: la fila de k predice u_k.",
    "The target of the row of k is u_k.":
        "La etiqueta de la fila de k es u_k.",
    "each row is (y_k+1, y_k, y_k-1, u_k-1) and its target u_k: X of shape {shape}.":
        "cada fila es (y_k+1, y_k, y_k-1, u_k-1) y su etiqueta u_k: X de forma {shape}.",
}
