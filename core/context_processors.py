from core.plugins import plugins


def fengchao(request):
    return {"fengchao_plugins": plugins()}
